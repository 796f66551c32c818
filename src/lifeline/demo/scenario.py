"""The people of the three stories in `shared/seeds/`, with the states and histories the
stories give them, at the three demo sites.

Times are fixed, relative to STORY_DATE, so that every load gives the same timelines. Where a
story leaves something open (a name nobody asked, the count of children at Mavrah) the choice
made is written next to it.

Not registered here: Jace, Ellie (the band that besieged The Compound) and Ayoub Essouibrat
(whose camp the Forest Camp team raided) are hostiles, not people in our care. They belong to
the intel capability (hostile groups, threat zones), which comes in a later issue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.models import User

from lifeline.core.models import Site
from lifeline.core.services import site_ensure
from lifeline.demo.accounts import Cast
from lifeline.demo.admissions import status_through_care
from lifeline.people import rules, services
from lifeline.people.models import Condition, Household, Person, Sex, Status

# The day the stories end; every demo time is before it.
STORY_DATE = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class SitePlace:
    code: str
    name: str
    latitude: float
    longitude: float


# Plausible places for the stories: a base at the desert's edge near the ruins of Mavrah and
# Qasr al-Hanif, a camp in a cedar forest cut by ravines, a walled farm compound on the plain.
DESERT_BASE = SitePlace("desert-base", "Desert Base", 31.9480, -4.4010)
FOREST_CAMP = SitePlace("forest-camp", "Forest Camp", 33.4360, -5.1780)
THE_COMPOUND = SitePlace("the-compound", "The Compound", 33.8420, -5.6120)
DEMO_SITES = (DESERT_BASE, FOREST_CAMP, THE_COMPOUND)

# Places the stories name, outside the sites.
MAVRAH_STORAGE = (31.7021, -4.0348)  # the partly collapsed storage building
MAVRAH_BAKERY = (31.7006, -4.0321)
MAVRAH_SCHOOL = (31.6998, -4.0366)
MAVRAH_MOSQUE = (31.7013, -4.0302)
MAVRAH_GRANARY = (31.6979, -4.0281)
EXTRACTION_BRAVO = (31.7062, -4.0417)
AYOUB_CAMP = (33.3712, -5.0641)  # the forest camp of Ayoub Essouibrat's men
WOOD_PARTY_RAID = (33.4051, -5.1203)


def at(month: int, day: int, hour: int = 12, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


def born(age_years: int) -> dt.date:
    """The date of birth of someone said to be N years old on STORY_DATE."""
    return rules.birth_date_from_age(age_years, STORY_DATE.date())


def demo_sites_ensure() -> dict[str, Site]:
    return {
        place.code: site_ensure(
            actor=None,
            code=place.code,
            name=place.name,
            latitude=place.latitude,
            longitude=place.longitude,
        )
        for place in DEMO_SITES
    }


class Story:
    """Registers the story's people through the services, remembering them by a short key."""

    def __init__(self, cast: Cast, sites: dict[str, Site]) -> None:
        self.cast = cast
        self.sites = sites
        self.people: dict[str, Person] = {}
        self.households: dict[str, Household] = {}

    def register(
        self,
        key: str,
        *,
        by: User,
        given: str,
        family: str = "",
        sex: str,
        age: int,
        estimated: bool = True,
        when: dt.datetime,
        site: SitePlace,
        area: str = "",
        where: tuple[float, float] | None = None,
        status: str = Status.PRESENT,
        conditions: Iterable[str] = (),
        household: str | None = None,
        other_names: Iterable[str] = (),
        languages: Iterable[str] = ("Arabic",),
        callsign: str = "",
        notes: str = "",
    ) -> Person:
        person = services.person_register(
            actor=by,
            given_name=given,
            family_name=family,
            other_names=other_names,
            sex=sex,
            date_of_birth=born(age),
            birth_date_estimated=estimated,
            languages=languages,
            callsign=callsign,
            household=self.households[household] if household else None,
            notes=notes,
            status=status,
            site=self.sites[site.code],
            area=area,
            latitude=where[0] if where else None,
            longitude=where[1] if where else None,
            occurred_at=when,
            conditions=conditions,
        )
        self.people[key] = person
        return person

    def status(
        self,
        keys: Iterable[str],
        *,
        by: User,
        status: str,
        when: dt.datetime,
        site: SitePlace,
        area: str = "",
        where: tuple[float, float] | None = None,
        note: str = "",
    ) -> None:
        for key in keys:
            status_through_care(
                medic=self.cast.medic,
                by=by,
                person=self.people[key],
                status=status,
                site=self.sites[site.code],
                when=when,
                area=area,
                where=where,
                note=note,
            )

    def condition(
        self,
        keys: Iterable[str],
        condition: str,
        *,
        by: User,
        when: dt.datetime,
        note: str = "",
        present: bool = True,
    ) -> None:
        for key in keys:
            services.person_condition_record(
                actor=by,
                person=self.people[key],
                condition=condition,
                present=present,
                note=note,
                observed_at=when,
            )

    def household(
        self, card: str, *, by: User, site: SitePlace, area: str, shelter: str, notes: str = ""
    ) -> Household:
        household = services.household_create(
            actor=by,
            ration_card=card,
            shelter=shelter,
            site=self.sites[site.code],
            area=area,
            notes=notes,
        )
        self.households[card] = household
        return household

    def head(self, card: str, key: str, *, by: User) -> None:
        self.households[card] = services.household_update(
            actor=by, household=self.households[card], changes={"head": self.people[key]}
        )


def forest_camp(story: Story) -> None:
    """Story 000: the raid on Ayoub's camp, the freed captives and the stolen medicine."""
    cast = story.cast
    reg, prot = cast.registrar, cast.protection
    camp = FOREST_CAMP
    founded = at(9, 14, 9)

    story.household(
        "FC-0001",
        by=reg,
        site=camp,
        area="Cedar row",
        shelter="Hut 1",
        notes="Meriem and Rachid.",
    )
    story.household("FC-0002", by=reg, site=camp, area="Cedar row", shelter="Hut 2")
    story.household("FC-0003", by=reg, site=camp, area="Cedar row", shelter="Hut 3")
    story.household("FC-0004", by=reg, site=camp, area="Cedar row", shelter="Hut 4")
    story.register(
        "soufiane",
        by=reg,
        given="Soufiane",
        sex=Sex.MALE,
        age=34,
        when=founded,
        site=camp,
        area="Cedar row",
        household="FC-0002",
        notes="Leads the camp's raids and scouting; led the escape through the ravine.",
    )
    story.register(
        "abderrazak",
        by=reg,
        given="Abderrazak",
        sex=Sex.MALE,
        age=41,
        when=founded,
        site=camp,
        area="Cedar row",
        household="FC-0003",
        notes="Carried the crate of medicine and the two hunting rifles out of Ayoub's camp.",
    )
    story.register(
        "meriem",
        by=reg,
        given="Meriem",
        sex=Sex.FEMALE,
        age=30,
        when=founded,
        site=camp,
        area="Cedar row",
        household="FC-0001",
    )
    story.register(
        "rachid",
        by=reg,
        given="Rachid",
        sex=Sex.MALE,
        age=33,
        when=founded,
        site=camp,
        area="Cedar row",
        household="FC-0001",
    )
    story.register(
        "amal",
        by=reg,
        given="Amal",
        sex=Sex.FEMALE,
        age=27,
        when=founded,
        site=camp,
        area="Cedar row",
        household="FC-0004",
    )
    story.head("FC-0001", "meriem", by=reg)
    story.head("FC-0002", "soufiane", by=reg)
    story.head("FC-0003", "abderrazak", by=reg)
    story.head("FC-0004", "amal", by=reg)

    story.status(
        ["rachid", "amal"],
        by=reg,
        status=Status.MISSING,
        when=at(10, 3, 10, 40),
        site=camp,
        area="Wood-gathering ground",
        where=WOOD_PARTY_RAID,
        note="Taken by Ayoub Essouibrat's men while gathering wood.",
    )

    # The freed captives: "the rescued, half a dozen". The story names Rachid; the boy, the
    # woman who could not walk and three others are given names they would have told the
    # registrar on arrival.
    freed = at(10, 28, 23, 40)
    story.status(
        ["rachid", "amal"],
        by=reg,
        status=Status.PRESENT,
        when=freed,
        site=camp,
        area="Ayoub's camp",
        where=AYOUB_CAMP,
        note="Freed in the raid on Ayoub's camp.",
    )
    captive = partial(
        story.register, by=reg, when=freed, site=camp, area="Ayoub's camp", where=AYOUB_CAMP
    )
    captive(
        "zohra",
        given="Zohra",
        family="Amrani",
        sex=Sex.FEMALE,
        age=74,
        conditions=[Condition.DISABLED, Condition.MALNOURISHED, Condition.ELDERLY_ALONE],
        notes="Could not walk; Meriem dragged her out under fire.",
    )
    captive(
        "ilyas",
        given="Ilyas",
        sex=Sex.MALE,
        age=12,
        conditions=[Condition.MALNOURISHED],
        notes=(
            "Gaunt boy, about twelve. Clutched Abderrazak's sleeve and whispered something "
            "too faint to catch. No adult of his household was among the freed."
        ),
    )
    for key, given, family, sex, age in (
        ("hamza", "Hamza", "Belkadi", Sex.MALE, 35),
        ("khadija", "Khadija", "Ouali", Sex.FEMALE, 29),
        ("mustapha", "Mustapha", "Tazi", Sex.MALE, 52),
    ):
        captive(
            key,
            given=given,
            family=family,
            sex=sex,
            age=age,
            conditions=[Condition.MALNOURISHED, Condition.DEHYDRATED],
            notes="Freed captive of Ayoub's camp.",
        )
    # "A man went down behind them": nobody went back and nobody saw him die, so he is
    # missing, not deceased; his name is not known.
    story.register(
        "man-who-went-down",
        by=reg,
        given="Unknown",
        sex=Sex.MALE,
        age=35,
        when=at(10, 28, 23, 50),
        site=camp,
        status=Status.MISSING,
        area="Forest edge west of Ayoub's camp",
        where=(33.3731, -5.0702),
        notes=(
            "Went down under gunfire behind the group during the escape from Ayoub's camp. "
            "Left in the forest; not seen since. Name not known."
        ),
    )

    story.condition(
        ["amal"],
        Condition.WOUNDED,
        by=reg,
        when=at(10, 29, 0, 30),
        note="Arm wound from the escape; cleaned by Soufiane, antibiotics from the crate.",
    )
    home = at(10, 29, 17, 30)
    story.status(
        ["rachid"],
        by=reg,
        status=Status.PRESENT,
        when=home,
        site=camp,
        area="Cedar row",
        note="Back home with Meriem.",
    )
    story.condition(
        ["rachid"], Condition.MALNOURISHED, by=reg, when=home, note="Half-starved in captivity."
    )
    story.condition(["rachid"], Condition.DEHYDRATED, by=reg, when=home)
    story.status(
        ["amal", "zohra"],
        by=reg,
        status=Status.IN_CARE,
        when=home,
        site=camp,
        area="Infirmary tent",
    )
    story.status(
        ["ilyas", "hamza", "khadija", "mustapha"],
        by=reg,
        status=Status.PRESENT,
        when=home,
        site=camp,
        area="Arrivals shelter",
    )
    story.condition(
        ["ilyas"],
        Condition.UNACCOMPANIED_CHILD,
        by=prot,
        when=at(10, 30, 9),
        note="No parent or relative with him; tracing to start.",
    )
    story.condition(
        ["hamza", "khadija", "mustapha", "rachid"],
        Condition.DEHYDRATED,
        by=reg,
        when=at(10, 31, 10),
        present=False,
        note="Drinking and eating again.",
    )
    story.household(
        "FC-0005",
        by=reg,
        site=camp,
        area="Infirmary row",
        shelter="Hut 9",
        notes="Zohra Amrani lives alone; needs help to move.",
    )
    story.head("FC-0005", "zohra", by=reg)


def desert_base(story: Story) -> None:
    """Story 001: Qasr al-Hanif, the rescue at Mavrah and the ride back to base."""
    cast = story.cast
    base = DESERT_BASE
    cmd, medic, field, prot, reg = (
        cast.commander,
        cast.medic,
        cast.field_team,
        cast.protection,
        cast.registrar,
    )
    staff = at(8, 1, 8)
    story.register(
        "rahim",
        by=cmd,
        given="Rahim",
        sex=Sex.MALE,
        age=52,
        when=staff,
        site=base,
        area="Command post",
        other_names=["Colonel Rahim"],
        notes="Colonel; commands the base.",
    )
    story.register(
        "hana",
        by=cmd,
        given="Hana",
        family="Song",
        sex=Sex.FEMALE,
        age=34,
        estimated=False,
        when=staff,
        site=base,
        area="Infirmary",
        languages=["English", "Korean", "Arabic"],
        other_names=["Dr. Hana Song"],
        notes="Doctor; runs the infirmary and goes out on rescues.",
    )
    story.register(
        "rafiq",
        by=cmd,
        given="Rafiq",
        sex=Sex.MALE,
        age=31,
        when=staff,
        site=base,
        area="Barracks",
        notes="Leads the recon and rescue teams.",
    )
    story.register(
        "maaz",
        by=cmd,
        given="Maaz",
        sex=Sex.MALE,
        age=26,
        when=staff,
        site=base,
        area="Barracks",
        notes="Recon team; opened the vaccine store at Qasr al-Hanif.",
    )
    story.register(
        "rima",
        by=cmd,
        given="Rima",
        sex=Sex.FEMALE,
        age=27,
        when=staff,
        site=base,
        area="Barracks",
        notes="Recon team.",
    )
    # Layla: the child who asked Hana whether the safe place is real. The story gives no
    # family; she is registered with her mother.
    story.household("DB-0001", by=reg, site=base, area="Block A", shelter="A-04")
    story.register(
        "samira",
        by=reg,
        given="Samira",
        family="Nasser",
        sex=Sex.FEMALE,
        age=33,
        when=at(8, 14, 11),
        site=base,
        area="Block A",
        household="DB-0001",
    )
    story.register(
        "layla",
        by=reg,
        given="Layla",
        family="Nasser",
        sex=Sex.FEMALE,
        age=7,
        when=at(8, 14, 11),
        site=base,
        area="Block A",
        household="DB-0001",
        notes="Asked Dr. Song whether the safe place is real.",
    )
    story.head("DB-0001", "samira", by=reg)

    story.condition(
        ["maaz"],
        Condition.WOUNDED,
        by=medic,
        when=at(10, 25, 20, 30),
        note="Arm grazed by a bullet at Qasr al-Hanif. Not fatal; dressed.",
    )

    # Mavrah, 27 October. Reconciling the counts: the radio report says "four children, one
    # elderly" (the storage building); by midday seven more (women, men, children); the granary
    # was an empty trap, and the six children Hana gathered there and who rode back in the
    # truck are the four from the storage building and the two children found at midday.
    mavrah = "Mavrah, eastern sector"
    storage = partial(
        story.register,
        by=field,
        site=base,
        when=at(10, 27, 8, 40),
        area=f"{mavrah}: storage building",
        where=MAVRAH_STORAGE,
    )
    storage(
        "youssef",
        given="Youssef",
        family="Haddad",
        sex=Sex.MALE,
        age=71,
        notes="Found barely conscious, his hand on his grandson Sami's shoulder.",
    )
    storage(
        "sami",
        given="Sami",
        family="Haddad",
        sex=Sex.MALE,
        age=5,
    )
    storage(
        "nour",
        given="Nour",
        family="Haddad",
        sex=Sex.FEMALE,
        age=9,
    )
    storage(
        "omar",
        given="Omar",
        family="Khalil",
        sex=Sex.MALE,
        age=10,
        notes="Found with his sister Hiba; parents not found.",
    )
    storage(
        "hiba",
        given="Hiba",
        family="Khalil",
        sex=Sex.FEMALE,
        age=7,
        notes="Cried silently when found.",
    )
    seen = at(10, 27, 8, 50)
    story.condition(
        ["youssef"],
        Condition.MALNOURISHED,
        by=medic,
        when=seen,
        note="They've been here a while. Malnourished, dehydrated, but alive.",
    )
    story.condition(["youssef"], Condition.DEHYDRATED, by=medic, when=seen)
    story.condition(["sami", "nour"], Condition.MALNOURISHED, by=medic, when=seen)
    story.condition(["sami", "nour", "omar", "hiba"], Condition.DEHYDRATED, by=medic, when=seen)

    midday = at(10, 27, 12, 20)
    story.register(
        "mother",
        by=field,
        given="Unknown",
        sex=Sex.FEMALE,
        age=35,
        when=midday,
        site=base,
        area=f"{mavrah}: bakery",
        where=MAVRAH_BAKERY,
        notes="Found wounded in the bakery with her daughter. Name not known.",
    )
    story.register(
        "silent-girl",
        by=field,
        given="Unknown",
        sex=Sex.FEMALE,
        age=6,
        when=midday,
        site=base,
        area=f"{mavrah}: bakery",
        where=MAVRAH_BAKERY,
        notes=(
            "Girl, about six. Has not spoken a word since Mavrah; believed to have watched her "
            "mother die. Name not known."
        ),
    )
    story.register(
        "karim",
        by=field,
        given="Karim",
        sex=Sex.MALE,
        age=8,
        when=midday,
        site=base,
        area=f"{mavrah}: school",
        where=MAVRAH_SCHOOL,
        notes="Found alone in the school. Maaz gave him water in the truck.",
    )
    mosque = partial(
        story.register,
        by=field,
        when=midday,
        site=base,
        area=f"{mavrah}: mosque",
        where=MAVRAH_MOSQUE,
    )
    mosque("salma", given="Salma", family="Darwish", sex=Sex.FEMALE, age=38)
    mosque("bilal", given="Bilal", family="Nasser", sex=Sex.MALE, age=45)
    mosque("hassan", given="Hassan", family="Othmani", sex=Sex.MALE, age=63)
    mosque("fatima", given="Fatima", family="Idrissi", sex=Sex.FEMALE, age=24)
    story.condition(
        ["hassan"],
        Condition.WOUNDED,
        by=medic,
        when=at(10, 27, 12, 40),
        note="Shrapnel in the leg.",
    )
    story.condition(["fatima"], Condition.PREGNANT, by=medic, when=at(10, 27, 12, 40))
    story.condition(["salma", "karim"], Condition.DEHYDRATED, by=medic, when=at(10, 27, 12, 40))
    story.status(
        ["mother"],
        by=medic,
        status=Status.DECEASED,
        when=at(10, 27, 13, 5),
        site=base,
        area=f"{mavrah}: bakery",
        where=MAVRAH_BAKERY,
        note="Died of her wounds; Dr. Song held her hand until her last breath.",
    )

    story.condition(
        ["maaz"],
        Condition.WOUNDED,
        by=medic,
        when=at(10, 27, 18, 5),
        note="Shoulder wound in the granary ambush; kept firing. Stabilised.",
    )
    survivors = [
        "youssef",
        "sami",
        "nour",
        "omar",
        "hiba",
        "silent-girl",
        "karim",
        "salma",
        "bilal",
        "hassan",
        "fatima",
    ]
    story.status(
        survivors,
        by=field,
        status=Status.PRESENT,
        when=at(10, 27, 18, 30),
        site=base,
        area="Extraction point Bravo",
        where=EXTRACTION_BRAVO,
        note="Evacuated from Mavrah after the granary ambush; air support from Falcon-2.",
    )
    back = at(10, 27, 21, 40)
    story.status(
        ["youssef", "hassan"],
        by=medic,
        status=Status.IN_CARE,
        when=back,
        site=base,
        area="Infirmary",
    )
    story.status(
        ["sami", "nour", "omar", "hiba", "silent-girl", "karim"],
        by=field,
        status=Status.PRESENT,
        when=back,
        site=base,
        area="Children's tent",
    )
    story.status(
        ["salma", "bilal", "fatima"],
        by=field,
        status=Status.PRESENT,
        when=back,
        site=base,
        area="Block C",
    )
    story.condition(
        ["silent-girl"],
        Condition.TRAUMATISED,
        by=medic,
        when=back,
        note="Has not spoken. I think she watched her mother die. (H. Song)",
    )
    story.condition(
        ["silent-girl", "omar", "hiba", "karim"],
        Condition.UNACCOMPANIED_CHILD,
        by=prot,
        when=at(10, 28, 9),
        note="No parent or relative with them; tracing to start.",
    )
    story.condition(
        ["sami", "nour"],
        Condition.SEPARATED_CHILD,
        by=prot,
        when=at(10, 28, 9),
        note="With their grandfather Youssef Haddad; parents not found.",
    )
    story.household(
        "DB-0002",
        by=reg,
        site=base,
        area="Block C",
        shelter="C-12",
        notes="Youssef Haddad and his grandchildren, from Mavrah.",
    )
    for key in ("youssef", "sami", "nour"):
        services.household_member_add(
            actor=reg, household=story.households["DB-0002"], person=story.people[key]
        )
    story.head("DB-0002", "youssef", by=reg)


def the_compound(story: Story) -> None:
    """Story 002: the compound after the siege by Jace's band."""
    cmd = story.cast.commander
    compound = THE_COMPOUND
    since = at(7, 10, 10)
    english = ("English",)
    for key, given, sex, age, area, notes in (
        ("leila", "Leila", Sex.FEMALE, 29, "Main house", "Leads the compound's defence."),
        ("kai", "Kai", Sex.MALE, 31, "Infirmary", ""),
        ("mark", "Mark", Sex.MALE, 40, "Gatehouse", "Set the hidden backup during the siege."),
        ("darren", "Darren", Sex.MALE, 36, "Gatehouse", "Secures the perimeter with Mark."),
        ("fiona", "Fiona", Sex.FEMALE, 45, "Mess hall", "Runs the mess hall and its rations."),
    ):
        story.register(
            key,
            by=cmd,
            given=given,
            sex=sex,
            age=age,
            when=since,
            site=compound,
            area=area,
            languages=english,
            notes=notes,
        )


def story_load(*, cast: Cast, sites: dict[str, Site]) -> Story:
    story = Story(cast, sites)
    forest_camp(story)
    desert_base(story)
    the_compound(story)
    return story
