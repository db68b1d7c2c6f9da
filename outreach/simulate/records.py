"""Made-up but plausible field records, for simulations, tests and benchmarks."""

from __future__ import annotations

import random
import uuid
from typing import Any

HUB = "431033100"
VILLAGES = ("431033100", "431033103", "431033400")


def new_id(rng: random.Random | None = None) -> str:
    """A UUID4 string (from `rng` when given, so a seeded run repeats itself)."""
    if rng is None:
        return str(uuid.uuid4())
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


FIRST_NAMES = (
    "Айгүл",
    "Арман",
    "Дана",
    "Ерлан",
    "Гүлнар",
    "Нұрлан",
    "Сәуле",
    "Бауыржан",
    "Жанар",
    "Қайрат",
    "Әсел",
    "Ержан",
    "Мадина",
    "Асқар",
    "Динара",
    "Серік",
)
SURNAMES = (
    "Серікова",
    "Ахметов",
    "Жұмабаева",
    "Омаров",
    "Сейітқызы",
    "Қасымов",
    "Әбдірова",
    "Тұрсынов",
    "Есенова",
    "Мұратов",
    "Бекова",
    "Нұрпейісов",
)
INTERESTS = (
    "bakery",
    "greenhouse",
    "sewing workshop",
    "cattle",
    "fish farming",
    "shop",
    "car repair",
    "melon growing",
    "guest house",
    "hairdresser",
)
QUESTIONS = (
    "Қай жерден несие алуға болады?",
    "Как получить земельный участок?",
    "Бастау Бизнес курсы қашан басталады?",
    "Нужен ли залог для микрокредита?",
    "Газ қашан тартылады?",
    "Кто поможет составить бизнес-план?",
)
NOTES = (
    "Questions about land plots and microcredit.",
    "Hall of the akimat; the heating works.",
    "Many young people; interest in training.",
    "The akim opened the meeting.",
    "Short of time: the bus to the next village was waiting.",
    "",
)
PROGRAMMES = (
    "bastau_business",
    "microcredit",
    "land_plots",
    "utility_connections",
    "business_adviser",
)


def make_person(rng: random.Random, villages: tuple[str, ...] = VILLAGES) -> dict[str, Any]:
    """An interested resident with a name, a mobile number and an interest."""
    return {
        "id": new_id(rng),
        "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}",
        "phone": f"+7 70{rng.randint(0, 8)} {rng.randint(100, 999)} {rng.randint(10, 99)}"
        f" {rng.randint(10, 99)}",
        "village": rng.choice(villages),
        "interest": rng.choice(INTERESTS),
    }


def make_meeting(
    rng: random.Random | None = None,
    *,
    hub: str = HUB,
    villages: tuple[str, ...] = VILLAGES,
    **fields: Any,
) -> dict[str, Any]:
    """A mutation creating a held meeting with attendance, villages, a referral, residents'
    questions and interested residents, varied as real ones are. Its `villages` are the first
    one to three of `villages` unless given; residents live in them."""
    rng = rng or random.Random()  # noqa: S311 (made-up meetings)
    total = rng.randint(5, 60)
    notes = rng.choice(NOTES)
    return {
        "mutation_id": new_id(rng),
        "record_id": new_id(rng),
        "kind": "meeting",
        "base_version": 0,
        "set": {
            "status": "held",
            "date": f"2027-05-{rng.randint(1, 28):02d}",
            "start": f"{rng.randint(9, 17):02d}:{rng.choice(('00', '30'))}",
            "hub": hub,
            "attendance": {
                "total": total,
                "women": rng.randint(0, total),
                "youth": rng.randint(0, total // 2),
            },
            **({"notes": notes} if notes else {}),
            **fields,
        },
        "add": {
            "villages": list(villages[: rng.randint(1, 3)]),
            "topics": rng.sample(PROGRAMMES, rng.randint(1, 3)),
            "referrals": [
                {"id": new_id(rng), "programme": rng.choice(PROGRAMMES), "count": rng.randint(1, 5)}
            ],
            "questions": [
                {"id": new_id(rng), "text": text}
                for text in rng.sample(QUESTIONS, rng.randint(0, 2))
            ],
            "interested": [make_person(rng, villages) for _ in range(rng.randint(1, 3))],
        },
        "made_at": f"2027-05-02T{rng.randint(9, 18):02d}:{rng.randint(0, 59):02d}:00+05:00",
    }
