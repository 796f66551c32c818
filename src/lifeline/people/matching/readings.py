"""Other readings of a Latin spelling: letters that one written tradition gives another sound
than the usual rules of `matching.names` do (c is j in Turkish, s in French, the ayn in
Somali). Pure functions; `names.name_parse` reads each word in every reading whose letters it
has. Sources are named beside each rule."""

from __future__ import annotations

import re

# Other readings of a spelling: letters that one written tradition gives another sound than the
# usual rules of `names` do. A word is read each way as well (name_parse); the index files a person
# under every reading and the score takes the best, a little below an agreement in the usual
# reading. Only readings of one tradition are compared with each other (or with the usual one).
READING_TURKISH = "t"
READING_KH = "k"
READING_GH_QAF = "q"
READING_SOMALI = "s"
READINGS = (READING_TURKISH, READING_KH, READING_GH_QAF, READING_SOMALI)
# The letter kh (خ) in the kh reading: apart from h (ح) and k (ك), which its spellings write it.
KH = "K"
# An agreement found in another reading only: still the same name (>= NAME_MATCH), below one
# in the usual reading (Cemal finds Cemal before Jamal).
READING_AGREEMENT = 0.95
# The kh reading of a plain k (READING_KH_PLAIN_K) is close, not the same name: a k is qaf as
# often as a kh left unmarked, and Kader (قادر, Qadir) is not Khader (خضر, Khidr), nor Sakr
# (صقر) Sakhr (صخر) (Schimmel, Islamic Names, 1989). Kaled still finds Khaled above any
# look-alike.
READING_PLAIN_K_AGREEMENT = 0.84
READING_KH_PLAIN_K = READING_KH + "+"
# Words the Somali orthography (1972) marks: a long vowel written double (Faadumo, Cismaan,
# Siciid), the x of ha (Xaliimo), a c before a consonant or at the end (Sacdiyo, Jaamac). Not
# before y: a French or English cy is an s (Cyril; Cyauhan, a slip for Chauhan).
SOMALI_MARKED = re.compile(r"aa|ii|uu|x|c(?=[^aeiouhy]|$)")
# The -o of a woman's name is read -a only in a word that only Somali writes so: an x or a ct
# is also Spanish or Italian, where -o ends a man's name (Maximo, Octavio: not Maxima,
# Octavia), and a cc is Italian (Rocco).
SOMALI_FEMININE_MARKED = re.compile(r"aa|ii|uu|(?<!c)c(?=[^aeiouhytc]|$)")


# The letters without which a reading reads a name as the usual one does (a name is read
# again only when it has them).
READING_LETTERS = {
    READING_TURKISH: re.compile("c"),
    READING_KH: re.compile("k|ch|خ"),
    READING_GH_QAF: re.compile("gh"),
    READING_SOMALI: SOMALI_MARKED,
}


def reading_latin(word: str, reading: str) -> str:
    """A Latin word (folded, particles attached) as the tradition `reading` writes it."""
    if reading == READING_TURKISH:
        # Türk Dil Kurumu, Yazim Kilavuzu (the 1928 alphabet): c is the sound j (and ç is
        # ch): Cemal, Cemil, Cafer, Recep, Necati, Celal are Jamal, Jamil, Jafar, Rajab,
        # Najati, Jalal. It clashes with the French c (Yacine, Nacer: Yassine, Nasser), which
        # the usual reading keeps. A c starting a word before a, o or u is left to the usual
        # reading's k: it is the k of English and Spanish names (Camila is not Jamila, Cody
        # not Jody), at the cost of Cafer and Can; between vowels it is read j (Necati).
        return re.sub(r"c(?=[ei])|(?<=[aeiou])c(?=[aou])", "j", word)
    if reading == READING_GH_QAF:
        # Persian pronounces qaf (ق) as ghayn, and its popular romanization writes both gh
        # (ALA-LC Persian romanization, 2012, gives q and gh apart): Ghasem, Ghorbani, Ghadiri
        # for Qasim, Qurbani, Qadiri.
        return word.replace("gh", "q")
    if reading == READING_SOMALI and SOMALI_MARKED.search(word):
        # The Somali Latin orthography (1972) writes the ayn c anywhere in a word, where other
        # spellings write none (Siciid, Jaamac, Cismaan, Sacdiyo: Said, Jama, Usman, Sadia),
        # and women's names end in -o where Arabic ones end in -a (Faadumo, Xaliimo, Sacdiyo:
        # Fatuma, Halima, Sadia; Orwin, Colloquial Somali, 1995, on feminine names in -o).
        # Maxamed is its Somali form of Muhammad, an a for the u of other spellings.
        word = re.sub(r"^maxam", "muxam", word)
        if SOMALI_FEMININE_MARKED.search(word):
            word = re.sub(r"o$", "a", word)
        return re.sub(r"c(?!h)", "", word)
    return word


def reading_kh(text: str) -> str:
    """The kh reading of a Latin word (particles attached): kh, and the k and ch that
    registrars and German or Dutch spellings write for it (Kaled, Chaled, Moktar, Chalil:
    Khaled, Mokhtar, Khalil; BGN/PCGN 1956 Arabic gives kh for خ; DIN 31635 gives ḫ, written
    ch without the mark), as one letter."""
    return re.sub(r"kh|(?<!s)ch|k", KH, text)
