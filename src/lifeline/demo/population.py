"""A generated camp population: a few thousand people in households across the three demo
sites, so that lists, filters and charts look like a real camp.

`population_plan` is pure and deterministic (a seeded `random.Random`): the same size and seed
give the same people, histories and ration cards. `population_load` writes a plan through the
services. The benchmarks reuse the plan to get realistic persons.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth.models import User

from lifeline.core.models import Site
from lifeline.demo.accounts import Cast
from lifeline.demo.admissions import status_through_care
from lifeline.demo.scenario import DEMO_SITES, STORY_DATE
from lifeline.people import rules, services
from lifeline.people.models import Condition, Household, Person, Sex, Status

POPULATION_SEED = 20261101
DEFAULT_SIZE = 3000
# Days a person taken ill stays in the infirmary before going back to the camp.
IN_CARE_DAYS = 4


@dataclass(frozen=True)
class NamePool:
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]
    languages: tuple[str, ...]
    second_language: str = ""


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(",") if name.strip())


ARABIC = NamePool(
    male=_names(
        "Mohammed, Ahmed, Youssef, Omar, Ali, Hassan, Hussein, Ibrahim, Khalid, Mustafa, "
        "Abdallah, Abdelkader, Said, Karim, Tarek, Samir, Nabil, Rachid, Hamza, Anas, Bilal, "
        "Adil, Yassine, Mehdi, Ismail, Zakaria, Ayman, Walid, Jamal, Driss, Hicham, Nasser, "
        "Fouad, Ziad, Sami, Majid, Faisal, Idris, Younes, Amine, Othman, Salah, Mahmoud, Khalil, "
        "Issa, Yahya, Adam, Rayan, Ilyas, Hadi, Abderrahim, Soufiane, Nourdine"
    ),
    female=_names(
        "Fatima, Khadija, Aicha, Meryem, Zainab, Salma, Nour, Layla, Hiba, Amina, Sara, Yasmina, "
        "Rania, Samira, Nadia, Souad, Houda, Malika, Naima, Latifa, Hanane, Imane, Asmaa, "
        "Ghizlane, Siham, Wafa, Rim, Dounia, Lina, Maryam, Aya, Rahma, Hajar, Salwa, Widad, "
        "Karima, Farah, Jamila, Huda, Nawal, Mona, Rasha, Dalia, Leen, Joud, Tasnim, Ilham, "
        "Zahra, Safia, Bouchra"
    ),
    family=_names(
        "El Amrani, Benali, Haddad, Nasser, Khalil, Darwish, Idrissi, Othmani, Tazi, Alaoui, "
        "Bennani, Berrada, Chraibi, El Fassi, Lahlou, Mansouri, Ouazzani, Sabri, Saleh, Hamdan, "
        "Abbas, Aziz, Bakr, Faris, Habib, Jaber, Karam, Mahmoud, Nassar, Qasim, Rashed, Sharif, "
        "Suleiman, Yassin, Zayed, Bouzid, Cherkaoui, Daoudi, El Khatib, Fikri, Ghanem, Hakimi, "
        "Jabri, Kettani, Lamrani, Najjar, Rahmouni, Slaoui, Touil, Zerouali, Boukhari, Amari, "
        "Belkadi, Ouali, Essaidi, Benjelloun"
    ),
    languages=("Arabic",),
    second_language="French",
)

AMAZIGH = NamePool(
    male=_names(
        "Aksil, Massin, Idir, Yuba, Anir, Mazigh, Lounis, Arezki, Moha, Hammou, Amnay, Ayur, "
        "Juba, Meddur, Usaden, Brahim, Lahcen, Mbark"
    ),
    female=_names(
        "Tiziri, Tanirt, Dihya, Thiziri, Tafsut, Tilelli, Kahina, Itto, Tudert, Lunja, Tamimt, "
        "Taziri, Ijja, Mamma, Tagrawla, Yamna, Fadma, Ittou"
    ),
    family=_names(
        "Ait Ali, Ait Ouahmane, Amzil, Boutaleb, Oubella, Ouchen, Aziki, Id Ahmed, Ait Bihi, "
        "Akhiat, Oussaid, Bouhaddou, Ait Lhaj, Amghar, Ouzzine, Ait Baha, Moutawakil, Oumouss, "
        "Ait Said"
    ),
    languages=("Tamazight", "Arabic"),
)

ENGLISH = NamePool(
    male=_names(
        "James, John, Michael, David, Daniel, Thomas, Matthew, Andrew, Ryan, Luke, Samuel, "
        "Joseph, Benjamin, Nathan, Aaron, Jack, Connor, Liam, Owen, Patrick, George, Harry, "
        "Callum, Sean"
    ),
    female=_names(
        "Emma, Olivia, Sophie, Grace, Hannah, Chloe, Emily, Jessica, Rachel, Sarah, Megan, Laura, "
        "Claire, Amy, Kate, Lucy, Abigail, Molly, Ruby, Zoe, Ellen, Niamh"
    ),
    family=_names(
        "Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies, Robinson, Wright, "
        "Thompson, Evans, Walker, White, Roberts, Green, Hall, Wood, Jackson, Clarke, Harris, "
        "Lewis, Murphy, Kelly, Walsh, Byrne, Reid, Campbell, Stewart, Fraser"
    ),
    languages=("English",),
)

FRENCH = NamePool(
    male=_names(
        "Pierre, Louis, Julien, Antoine, Hugo, Lucas, Mathieu, Nicolas, Olivier, Théo, Rémi, "
        "Étienne"
    ),
    female=_names(
        "Camille, Chloé, Léa, Manon, Sophie, Julie, Élodie, Inès, Margaux, Anaïs, Hélène, Noémie"
    ),
    family=_names(
        "Martin, Bernard, Dubois, Moreau, Laurent, Lefèvre, Girard, Fontaine, Rousseau, Mercier, "
        "Lemaître, Gauthier"
    ),
    languages=("French",),
    second_language="English",
)

KURDISH = NamePool(
    male=_names(
        "Aram, Dilshad, Karwan, Rebin, Shivan, Hiwa, Azad, Baran, Dara, Zana, Soran, Hemin"
    ),
    female=_names(
        "Shirin, Nasrin, Rojin, Berfin, Evin, Dilan, Avin, Sozdar, Zhila, Helin, Bahar, Nazdar"
    ),
    family=_names("Baban, Hamawandi, Sindi, Doski, Hawrami, Zebari, Bradosti, Kurdi, Shwani, Jaf"),
    languages=("Kurdish", "Arabic"),
)

SOMALI = NamePool(
    male=_names("Abdi, Abdirahman, Mahad, Liban, Guled, Yusuf, Abdiwali, Bashir, Hamse, Mukhtar"),
    female=_names("Hodan, Fadumo, Ayaan, Sagal, Nimco, Idil, Hibo, Ubah, Ifrah, Ladan"),
    # Somali names are patronymic: the "family" name is the father's given name.
    family=_names("Abdullahi, Warsame, Farah, Mohamud, Hirsi, Jama, Osman, Egal, Duale, Nur"),
    languages=("Somali",),
    second_language="Arabic",
)

# Who lives where: weights of each name pool per site.
SITE_POOLS: dict[str, tuple[tuple[NamePool, float], ...]] = {
    "desert-base": ((ARABIC, 78), (AMAZIGH, 8), (KURDISH, 6), (SOMALI, 6), (FRENCH, 2)),
    "forest-camp": ((ARABIC, 60), (AMAZIGH, 35), (FRENCH, 5)),
    "the-compound": ((ENGLISH, 65), (FRENCH, 15), (ARABIC, 15), (KURDISH, 5)),
}
SITE_SHARE = {"desert-base": 0.5, "forest-camp": 0.3, "the-compound": 0.2}
SITE_OPENED = {
    "desert-base": dt.datetime(2026, 6, 1, tzinfo=dt.UTC),
    "forest-camp": dt.datetime(2026, 9, 14, tzinfo=dt.UTC),
    "the-compound": dt.datetime(2026, 5, 20, tzinfo=dt.UTC),
}
# Areas of each site, with the prefix of their shelter numbers.
SITE_AREAS = {
    "desert-base": tuple((f"Block {b}", b) for b in "ABCDEF"),
    "forest-camp": (
        ("Cedar row", "CR"),
        ("Ravine terrace", "RT"),
        ("Spring clearing", "SC"),
        ("North slope", "NS"),
    ),
    "the-compound": (
        ("Barracks 1", "B1"),
        ("Barracks 2", "B2"),
        ("Farmhouse", "FH"),
        ("Grain store", "GS"),
        ("Stables", "ST"),
    ),
}
# Children by year of age, 0 to 17: a camp's pyramid has a wide base.
CHILD_AGE_WEIGHTS = tuple(1.0 - 0.03 * age for age in range(18))
CARD_PREFIX = {"desert-base": "DB", "forest-camp": "FC", "the-compound": "TC"}
# The story's households hold the low ration-card numbers.
FIRST_CARD_NUMBER = 100

# Other spellings a registrar meets for the same name (kept as other names).
SPELLINGS = {
    "Mohammed": ("Mohamed", "Muhammad"),
    "Youssef": ("Yusuf", "Youssouf"),
    "Aicha": ("Aisha",),
    "Meryem": ("Maryam", "Meriem"),
    "Khadija": ("Khadeeja",),
    "Hussein": ("Husayn",),
    "Zainab": ("Zaynab",),
    "Abdallah": ("Abdullah",),
    "Mustafa": ("Moustapha",),
    "Rachid": ("Rashid",),
    "Fadumo": ("Faduma",),
    "Zahra": ("Zohra",),
}

# Household sizes in a camp: mean about 4.3.
HOUSEHOLD_SIZES = (1, 2, 3, 4, 5, 6, 7, 8, 9)
HOUSEHOLD_SIZE_WEIGHTS = (10, 12, 15, 18, 17, 13, 8, 5, 2)

MISSING_NOTES = (
    "Did not come back from collecting firewood.",
    "Left to look for relatives and did not return.",
    "Separated from the group on the road.",
    "Not seen at the distribution for a week.",
)
DECEASED_NOTES = ("Died in the infirmary.", "Died of illness.", "Died of wounds.")


@dataclass(frozen=True)
class EventPlan:
    status: str
    when: dt.datetime
    site_code: str
    area: str = ""
    where: tuple[float, float] | None = None
    note: str = ""
    by: str = "registrar"  # the demo account (Cast attribute) that records it


@dataclass(frozen=True)
class ObservationPlan:
    condition: str
    when: dt.datetime
    present: bool = True
    note: str = ""
    by: str = "medic"


@dataclass(frozen=True)
class PersonPlan:
    given_name: str
    family_name: str
    sex: str
    date_of_birth: dt.date
    birth_date_estimated: bool
    languages: tuple[str, ...]
    other_names: tuple[str, ...] = ()
    phone: str = ""
    intake_conditions: tuple[str, ...] = ()
    events: tuple[EventPlan, ...] = ()
    observations: tuple[ObservationPlan, ...] = ()

    @property
    def age(self) -> int:
        return rules.age_on(self.date_of_birth, STORY_DATE.date())


@dataclass(frozen=True)
class HouseholdPlan:
    site_code: str
    area: str
    shelter: str
    ration_card: str
    arrived_at: dt.datetime
    members: tuple[PersonPlan, ...] = field(default=())  # head first


class _Planner:
    """Draws households one after another from one seeded random stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.places = {place.code: place for place in DEMO_SITES}
        self.shelter_counter: dict[str, int] = {}

    def pick_pool(self, site_code: str) -> NamePool:
        choices = SITE_POOLS[site_code]
        return self.rng.choices([pool for pool, _ in choices], weights=[w for _, w in choices])[0]

    def arrival(self, site_code: str) -> dt.datetime:
        opened = SITE_OPENED[site_code]
        span = (STORY_DATE - dt.timedelta(days=2) - opened).total_seconds()
        # Arrivals come in waves: more of them later, as the fighting spreads.
        moment = opened + dt.timedelta(seconds=span * self.rng.random() ** 0.7)
        return moment.replace(
            hour=self.rng.randint(7, 18),
            minute=self.rng.randrange(0, 60, 5),
            second=0,
            microsecond=0,
        )

    def birth(self, age: int) -> tuple[dt.date, bool]:
        # Most people arrive without papers: their age is an estimate (mid-year of that age).
        if self.rng.random() < 0.6:
            return rules.birth_date_from_age(age, STORY_DATE.date()), True
        story_day = STORY_DATE.date()
        latest = story_day.replace(year=story_day.year - age)
        return latest - dt.timedelta(days=self.rng.randint(1, 364)), False

    def person(
        self,
        pool: NamePool,
        *,
        sex: str,
        age: int,
        family: str,
        arrived_at: dt.datetime,
        site_code: str,
        alone: bool = False,
        unaccompanied: bool = False,
    ) -> PersonPlan:
        rng = self.rng
        given = rng.choice(pool.male if sex == Sex.MALE else pool.female)
        dob, estimated = self.birth(age)
        languages = list(pool.languages)
        if pool.second_language and age >= 12 and rng.random() < 0.25:
            languages.append(pool.second_language)
        other_names: tuple[str, ...] = ()
        if given in SPELLINGS and rng.random() < 0.5:
            other_names = (f"{rng.choice(SPELLINGS[given])} {family}",)
        phone = ""
        if age >= 16 and rng.random() < 0.25:
            phone = f"+212 6{rng.randint(10, 99)} {rng.randint(0, 999999):06d}"
        intake = self.intake_conditions(sex=sex, age=age, alone=alone)
        observations = list(self.follow_ups(intake, arrived_at))
        if unaccompanied:
            observations.append(
                ObservationPlan(
                    Condition.UNACCOMPANIED_CHILD,
                    arrived_at + dt.timedelta(hours=rng.randint(2, 30)),
                    note="Arrived with no parent or relative; tracing started.",
                    by="protection",
                )
            )
        events = self.later_events(age=age, arrived_at=arrived_at, site_code=site_code)
        return PersonPlan(
            given_name=given,
            family_name=family,
            sex=sex,
            date_of_birth=dob,
            birth_date_estimated=estimated,
            languages=tuple(languages),
            other_names=other_names,
            phone=phone,
            intake_conditions=intake,
            events=events,
            observations=tuple(o for o in observations if o.when < STORY_DATE),
        )

    def intake_conditions(self, *, sex: str, age: int, alone: bool) -> tuple[str, ...]:
        rng = self.rng
        chances: list[tuple[str, float]]
        if age < 5:
            chances = [
                (Condition.MALNOURISHED, 0.12),
                (Condition.DEHYDRATED, 0.06),
                (Condition.ILL, 0.05),
            ]
        elif age < 18:
            chances = [
                (Condition.MALNOURISHED, 0.06),
                (Condition.DEHYDRATED, 0.04),
                (Condition.TRAUMATISED, 0.03),
                (Condition.ILL, 0.02),
            ]
        elif age < 60:
            chances = [
                (Condition.WOUNDED, 0.03),
                (Condition.DEHYDRATED, 0.03),
                (Condition.CHRONIC_ILLNESS, 0.04),
                (Condition.DISABLED, 0.02),
                (Condition.TRAUMATISED, 0.03),
            ]
            if sex == Sex.FEMALE and age <= 45:
                chances.append((Condition.PREGNANT, 0.09))
        else:
            chances = [
                (Condition.CHRONIC_ILLNESS, 0.25),
                (Condition.DISABLED, 0.10),
                (Condition.MALNOURISHED, 0.06),
            ]
            if alone:
                chances.append((Condition.ELDERLY_ALONE, 0.6))
        return tuple(condition for condition, p in chances if rng.random() < p)

    def follow_ups(
        self, intake: Sequence[str], arrived_at: dt.datetime
    ) -> Iterator[ObservationPlan]:
        """Dehydration and hunger get better in camp for many; the medic records it."""
        for condition in intake:
            if condition in (Condition.DEHYDRATED, Condition.MALNOURISHED) and (
                self.rng.random() < 0.5
            ):
                days = 3 if condition == Condition.DEHYDRATED else 25
                when = arrived_at + dt.timedelta(days=days + self.rng.randint(0, 10), hours=2)
                yield ObservationPlan(condition, when, present=False, note="Recovered.")

    def later_events(
        self, *, age: int, arrived_at: dt.datetime, site_code: str
    ) -> tuple[EventPlan, ...]:
        rng = self.rng
        roll = rng.random()
        days_here = (STORY_DATE - arrived_at).total_seconds() / 86400
        if days_here < 2:
            return ()
        when = arrived_at + dt.timedelta(days=rng.uniform(1, days_here - 0.5))
        when = when.replace(second=0, microsecond=0)
        place = self.places[site_code]
        deceased_p = 0.05 if age >= 60 else 0.004
        if roll < deceased_p:
            taken_ill = max(arrived_at + dt.timedelta(hours=1), when - dt.timedelta(days=2))
            return (
                EventPlan(Status.IN_CARE, taken_ill, site_code, "Infirmary", by="medic"),
                EventPlan(
                    Status.DECEASED,
                    when,
                    site_code,
                    "Infirmary",
                    note=rng.choice(DECEASED_NOTES),
                    by="medic",
                ),
            )
        roll -= deceased_p
        if roll < 0.025:
            if age < 8:
                return ()  # young children go missing with their family, not alone
            where = (
                round(place.latitude + rng.uniform(-0.06, 0.06), 5),
                round(place.longitude + rng.uniform(-0.06, 0.06), 5),
            )
            missing = EventPlan(
                Status.MISSING,
                when,
                site_code,
                "Outside the camp",
                where,
                note=rng.choice(MISSING_NOTES),
                by="field_team",
            )
            back = when + dt.timedelta(days=rng.uniform(0.5, 6))
            if rng.random() < 0.3 and back < STORY_DATE:
                return (
                    missing,
                    EventPlan(
                        Status.PRESENT, back, site_code, "Arrivals", note="Came back to the camp."
                    ),
                )
            return (missing,)
        roll -= 0.025
        if roll < 0.02:
            taken_in = EventPlan(Status.IN_CARE, when, site_code, "Infirmary", by="medic")
            # Most are back in the camp after a few days; those taken in lately are still in.
            out = when + dt.timedelta(days=IN_CARE_DAYS)
            if out >= STORY_DATE:
                return (taken_in,)
            return (
                taken_in,
                EventPlan(
                    Status.PRESENT, out, site_code, "", note="Discharged from the infirmary."
                ),
            )
        roll -= 0.02
        if roll < 0.01:
            return (
                EventPlan(
                    Status.EVACUATED,
                    when,
                    site_code,
                    "Evacuation point",
                    note="Medical evacuation by road to the field hospital.",
                    by="medic",
                ),
            )
        roll -= 0.01
        if roll < 0.012:
            other = rng.choice([code for code in SITE_SHARE if code != site_code])
            return (
                EventPlan(
                    Status.TRANSFERRED,
                    when,
                    other,
                    "Arrivals",
                    note="Transferred to join relatives.",
                ),
            )
        return ()

    def household(self, site_code: str, number: int, size: int) -> HouseholdPlan:
        rng = self.rng
        pool = self.pick_pool(site_code)
        family = rng.choice(pool.family)
        arrived = self.arrival(site_code)
        area, prefix = rng.choice(SITE_AREAS[site_code])
        self.shelter_counter[area] = self.shelter_counter.get(area, 0) + 1
        shelter = f"{prefix}-{self.shelter_counter[area]:03d}"
        card = f"{CARD_PREFIX[site_code]}-{number:04d}"
        member = partial(self.person, pool, family=family, arrived_at=arrived, site_code=site_code)
        members: list[PersonPlan] = []
        if size == 1:
            kind = rng.random()
            if kind < 0.1:  # an adolescent who arrived alone
                members.append(
                    member(
                        sex=rng.choice([Sex.MALE, Sex.FEMALE]),
                        age=rng.randint(13, 17),
                        unaccompanied=True,
                    )
                )
            elif kind < 0.35:
                members.append(
                    member(
                        sex=rng.choice([Sex.MALE, Sex.FEMALE]), age=rng.randint(60, 88), alone=True
                    )
                )
            else:
                members.append(
                    member(
                        sex=rng.choice([Sex.MALE, Sex.MALE, Sex.FEMALE]),
                        age=rng.randint(18, 59),
                        alone=True,
                    )
                )
        elif rng.random() < 0.02:  # siblings with no adult: a child-headed household
            ages = sorted((rng.randint(2, 17) for _ in range(size)), reverse=True)
            ages[0] = max(ages[0], 14)
            for age in ages:
                members.append(
                    member(sex=rng.choice([Sex.MALE, Sex.FEMALE]), age=age, unaccompanied=True)
                )
        else:
            head_sex = Sex.MALE if rng.random() < 0.7 else Sex.FEMALE
            head_age = rng.randint(22, 58)
            members.append(member(sex=head_sex, age=head_age))
            slots = size - 1
            if rng.random() < 0.85:
                spouse_sex = Sex.FEMALE if head_sex == Sex.MALE else Sex.MALE
                spouse_age = max(18, min(75, head_age + rng.randint(-8, 4)))
                members.append(member(sex=spouse_sex, age=spouse_age))
                slots -= 1
            if slots >= 2 and rng.random() < 0.35:
                members.append(
                    member(
                        sex=rng.choice([Sex.MALE, Sex.FEMALE]),
                        age=rng.randint(max(60, head_age + 18), 90),
                    )
                )
                slots -= 1
            youngest_parent = min(m.age for m in members[:2])
            eldest = max(0, min(17, youngest_parent - 16))
            for _ in range(slots):
                age = rng.choices(range(eldest + 1), weights=CHILD_AGE_WEIGHTS[: eldest + 1])[0]
                members.append(member(sex=rng.choice([Sex.MALE, Sex.FEMALE]), age=age))
        return HouseholdPlan(site_code, area, shelter, card, arrived, tuple(members))


def population_plan(
    *, size: int = DEFAULT_SIZE, seed: int = POPULATION_SEED
) -> list[HouseholdPlan]:
    """About `size` persons (exactly, the last household trimmed) in households."""
    planner = _Planner(seed)
    sites = list(SITE_SHARE)
    weights = [SITE_SHARE[code] for code in sites]
    numbers = {code: FIRST_CARD_NUMBER for code in sites}
    plan: list[HouseholdPlan] = []
    count = 0
    while count < size:
        site_code = planner.rng.choices(sites, weights=weights)[0]
        household_size = planner.rng.choices(HOUSEHOLD_SIZES, weights=HOUSEHOLD_SIZE_WEIGHTS)[0]
        household = planner.household(site_code, numbers[site_code], household_size)
        numbers[site_code] += 1
        room = size - count
        if len(household.members) > room:
            household = HouseholdPlan(
                household.site_code,
                household.area,
                household.shelter,
                household.ration_card,
                household.arrived_at,
                household.members[:room],
            )
        plan.append(household)
        count += len(household.members)
    return plan


def person_plans(
    *, size: int, seed: int = POPULATION_SEED
) -> Iterator[tuple[HouseholdPlan, PersonPlan]]:
    """Every (household, person) of a plan, in order: what the benchmarks register."""
    for household in population_plan(size=size, seed=seed):
        for member in household.members:
            yield household, member


def _actor(cast: Cast, name: str) -> User:
    actor: User = getattr(cast, name)
    return actor


def population_load(
    *, cast: Cast, sites: dict[str, Site], size: int = DEFAULT_SIZE, seed: int = POPULATION_SEED
) -> int:
    """Write a population plan through the services; returns the number of persons."""
    registered = 0
    for plan in population_plan(size=size, seed=seed):
        site = sites[plan.site_code]
        household = services.household_create(
            actor=cast.registrar,
            ration_card=plan.ration_card,
            shelter=plan.shelter,
            site=site,
            area=plan.area,
        )
        head: Person | None = None
        for member in plan.members:
            person = _person_load(cast, sites, member, household=household, plan=plan)
            head = head or person
            registered += 1
        if head is not None:
            services.household_update(
                actor=cast.registrar, household=household, changes={"head": head}
            )
    return registered


def _person_load(
    cast: Cast,
    sites: dict[str, Site],
    member: PersonPlan,
    *,
    household: Household,
    plan: HouseholdPlan,
) -> Person:
    person = services.person_register(
        actor=cast.registrar,
        given_name=member.given_name,
        family_name=member.family_name,
        other_names=member.other_names,
        sex=member.sex,
        date_of_birth=member.date_of_birth,
        birth_date_estimated=member.birth_date_estimated,
        languages=member.languages,
        phone=member.phone,
        household=household,
        status=Status.PRESENT,
        site=sites[plan.site_code],
        area=plan.area,
        occurred_at=plan.arrived_at,
        conditions=member.intake_conditions,
    )
    for observation in member.observations:
        services.person_condition_record(
            actor=_actor(cast, observation.by),
            person=person,
            condition=observation.condition,
            present=observation.present,
            note=observation.note,
            observed_at=observation.when,
        )
    for event in member.events:
        status_through_care(
            medic=cast.medic,
            by=_actor(cast, event.by),
            person=person,
            status=event.status,
            site=sites[event.site_code],
            when=event.when,
            area=event.area,
            where=event.where,
            note=event.note,
        )
    return person
