"""Fake but realistic-looking people, e-mails, phone numbers and hosts.

Only reserved names are used: example.com/.org/.net and contoso.com domains,
documentation IP ranges (RFC 5737), and fictional phone ranges.
"""

from __future__ import annotations

import random

FIRST_NAMES: tuple[str, ...] = (
    "Anna", "Ola", "Kari", "Lars", "Ingrid", "Jonas", "Sofie", "Magnus", "Emma",
    "Henrik", "Nora", "Erik", "Sara", "Martin", "Ida", "Anders", "Maja", "Per",
    "Linnea", "Johan", "Astrid", "Oskar", "Frida", "Mikkel", "Sigrid", "Björn",
    "Åse", "Søren", "James", "Olivia", "Liam", "Chloe", "Tomasz", "Aisha",
)  # fmt: skip
LAST_NAMES: tuple[str, ...] = (
    "Berg", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Nilsen",
    "Pedersen", "Lund", "Dahl", "Eriksson", "Lindqvist", "Sørensen", "Holm",
    "Strand", "Bakke", "Haugen", "Nordmann", "Kristiansen", "Jensen", "Smith",
    "Taylor", "Nowak", "Khan", "Øvergaard", "Ås",
)  # fmt: skip
COMPANIES: tuple[str, ...] = (
    "Nordlys AS", "Fjord Logistics AB", "Contoso Ltd", "Fabrikam Inc",
    "Tailspin Toys", "Bergen Byggvare AS", "Northwind Traders", "Vinter & Sønn",
)  # fmt: skip
EMAIL_DOMAINS: tuple[str, ...] = ("example.com", "example.org", "example.net")
_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ö": "o", "ä": "a", "é": "e"})


def person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


def full_name(first: str, last: str) -> str:
    return f"{first} {last}"


def email(first: str, last: str, rng: random.Random, domain: str = "") -> str:
    local = f"{first}.{last}".lower().translate(_ASCII).replace(" ", "")
    if rng.random() < 0.2:
        local += str(rng.randint(1, 99))
    return f"{local}@{domain or rng.choice(EMAIL_DOMAINS)}"


def phone_display(rng: random.Random) -> str:
    """Human-formatted phone numbers as customers type them."""
    kind = rng.random()
    if kind < 0.6:
        d = [rng.randint(10, 99) for _ in range(4)]
        return f"+47 {d[0]} {d[1]} {d[2]} {d[3]}"
    if kind < 0.8:
        a, b, c = rng.randint(100, 999), rng.randint(10, 99), rng.randint(10, 99)
        return f"+46 70 {a} {b} {c}"
    if kind < 0.9:
        d = [rng.randint(20, 99) for _ in range(4)]
        return f"+45 {d[0]} {d[1]} {d[2]} {d[3]}"
    return f"+44 20 7946 0{rng.randint(0, 999):03d}"


def phone_e164(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.7:
        return f"+47{rng.randint(2, 9)}{rng.randint(0, 9999999):07d}"
    if kind < 0.85:
        return f"+4670{rng.randint(0, 9999999):07d}"
    return f"+1804555{rng.randint(100, 199):04d}"


def ipv4(rng: random.Random) -> str:
    prefix = rng.choice(("192.0.2", "198.51.100", "203.0.113"))
    return f"{prefix}.{rng.randint(1, 254)}"


def private_ipv4(rng: random.Random) -> str:
    return f"10.{rng.randint(0, 40)}.{rng.randint(0, 255)}.{rng.randint(2, 254)}"


def hostname(rng: random.Random) -> str:
    return (
        f"cm-{rng.randint(80, 95)}-{rng.randint(0, 255)}-{rng.randint(0, 255)}"
        f"-{rng.randint(1, 254)}.customer.example.net"
    )
