"""SuperOffice ``chat_session`` export: ``superoffice/chat_session_<date>.csv``.

Queue waits grow with the hour's load (requests in the hour vs. staffed
capacity); a customer whose patience runs out first abandons in the queue
(status 11 ClosedFromQueue, ``when_started`` NULL).  Topics 3 and 4 have a
chatbot: the bot either solves the chat alone (``chatbot_isactive`` 1,
``user_id`` 0) or hands off to an agent (``chatbot_isactive`` 0).
"""

from __future__ import annotations

import csv
import datetime as dt
import heapq
import math
import random
from pathlib import Path

from . import fake
from .common import (
    INT32_MAX,
    WEEKDAY_FACTOR,
    ArrivalCurve,
    Choice,
    IdBlock,
    bit,
    chance,
    hex_token,
    lognormal,
    open_text,
    rng_for,
    sql_dt,
)

COLUMNS: tuple[str, ...] = (
    "id", "topic_id", "user_id", "customer_id", "customer_alias", "status",
    "when_requested", "when_started", "when_ended", "idle", "customer_fetch",
    "session_key", "initial_queue_pos", "customer_host", "alert_level", "rank",
    "name", "company_name", "email", "phone", "first_message", "last_message",
    "flags", "project_id", "sale_id", "ticket_id", "contact_id", "transfer_to",
    "consented", "chatbot_isactive", "country", "rating",
)  # fmt: skip

# ChatSessionStatus
OFFLINE_FORM, IN_QUEUE, CUSTOMER_LAST, USER_LAST = 3, 4, 5, 6
FINISHED, DELETED, CLOSED, CLOSED_FROM_QUEUE = 7, 8, 9, 11

TOPICS = Choice([(1, 35.0), (2, 25.0), (3, 20.0), (4, 12.0), (5, 8.0)])
BOT_TOPICS = frozenset({3, 4})
AGENTS: tuple[int, ...] = tuple(range(11, 27))
FLAGS = Choice([(0, 85.0), (1, 7.0), (2, 6.0), (3, 2.0)])
RATING = Choice([(5, 46.0), (4, 30.0), (3, 12.0), (2, 6.0), (1, 6.0)])
COUNTRY = Choice([(578, 60.0), (752, 15.0), (208, 10.0), (826, 5.0), (None, 10.0)])
FIRST_MESSAGES: tuple[str, ...] = (
    "Hei, jeg får ikke logget inn",
    "Hi, I can't log in to my account",
    'Where is my order? It says "shipped" since Monday',
    "Hvordan endrer jeg fakturaadressen?",
    "I was charged twice, can you help?",
    "Hello",
    "Spørsmål om levering, ordre 10023",
    "Password reset link doesn't work",
    "Can I change my subscription plan?",
    "Hei!\nJeg har et spørsmål om faktura",
)
LAST_MESSAGES: tuple[str, ...] = (
    "Takk for hjelpen!",
    "Thanks, that solved it",
    "Ok, I'll try that",
    "Ha en fin dag",
    "Is anyone there?",
    "bye",
    "Great, thank you :)",
    "I'll call you instead, 22 33 44 55",
)
# `chat_session.id` is an int identity: at most 100,000 chats per day (until 2058).
CHAT_IDS = IdBlock("superoffice chat_session.id", 1000, 100_000, limit=INT32_MAX)
BOT_LAST: tuple[str, ...] = (
    "Glad I could help! Anything else?",
    "Here is the article: https://support.example.com/kb/123",
    "Jeg setter deg over til en rådgiver.",
)


class SuperOfficeWriter:
    """``chat_session``: one row per customer chat."""

    system = "superoffice"
    id_blocks: tuple[IdBlock, ...] = (CHAT_IDS,)

    def __init__(self, out_dir: Path, seed: int, total: int, days: int) -> None:
        self.folder = out_dir / "superoffice"
        self.seed = seed
        self.curve = ArrivalCurve()
        self.rows = 0
        self._next_id = 0
        # Staffing: the busiest hour of an average workday runs at ~90 % load.
        workday_share = sum(WEEKDAY_FACTOR[:5]) / sum(WEEKDAY_FACTOR)
        per_workday = total * workday_share / max(1, days) * 7 / 5
        self.capacity = max(1.0, per_workday * self.curve.peak_share() / 0.9)

    def write_day(self, index: int, day: dt.date, n: int) -> list[Path]:
        rng = rng_for(self.seed, self.system, day.isoformat())
        path = self.folder / f"chat_session_{day.isoformat()}.csv"
        self._next_id = CHAT_IDS.start(day, n)
        times = self.curve.times(rng, day, n)
        per_hour = [0] * 24
        for t in times:
            per_hour[t.hour] += 1
        queue: list[dt.datetime] = []  # heap of times queued chats leave the queue
        with open_text(path, bom=True) as fh:
            out = csv.writer(fh)
            out.writerow(COLUMNS)
            for t in times:
                rho = per_hour[t.hour] / self.capacity
                out.writerow(self._row(rng, day, t, rho, queue))
        self.rows += n
        return [path]

    def _row(
        self,
        rng: random.Random,
        day: dt.date,
        requested: dt.datetime,
        rho: float,
        queue: list[dt.datetime],
    ) -> list[object]:
        self._next_id += 1
        topic = TOPICS.pick(rng)
        weekend = day.weekday() >= 5
        opening = (10, 16) if weekend else (7, 17)
        closed_hours = not opening[0] <= requested.hour < opening[1]
        started: dt.datetime | None = None
        ended: dt.datetime | None = None
        user_id: object = ""
        bot_active = 0
        queue_pos: object = ""
        alert = 0
        rank: object = ""
        answered = False
        bot_alone = False
        if (closed_hours and chance(rng, 0.35)) or chance(rng, 0.01):
            status = OFFLINE_FORM
            ended = requested + dt.timedelta(seconds=rng.uniform(20.0, 240.0))
        else:
            bot_seconds = 0.0
            if topic in BOT_TOPICS and chance(rng, 0.6):
                if chance(rng, 0.4):
                    bot_alone = True
                else:
                    bot_seconds = lognormal(rng, 70.0, 0.6)
            if bot_alone:
                bot_active = 1
                user_id = 0
                answered = True
                started = requested + dt.timedelta(seconds=rng.uniform(0.3, 2.0))
                ended = started + dt.timedelta(seconds=lognormal(rng, 95.0, 0.7))
                status = FINISHED if chance(rng, 0.5) else CLOSED
            else:
                enter = requested + dt.timedelta(seconds=bot_seconds)
                while queue and queue[0] <= enter:
                    heapq.heappop(queue)
                queue_pos = len(queue) + 1
                mean_wait = 12.0 + 130.0 * min(rho, 1.6) ** 3
                wait = lognormal(rng, mean_wait, 0.7)
                patience = rng.expovariate(1 / 900.0)
                if wait > 120:
                    alert = min(3, int(math.log2(wait / 60.0)))
                if patience < wait and wait > 20.0:
                    leave = enter + dt.timedelta(seconds=patience)
                    heapq.heappush(queue, leave)
                    status = CLOSED_FROM_QUEUE
                    ended = leave
                    user_id = 0 if chance(rng, 0.5) else ""
                else:
                    started = enter + dt.timedelta(seconds=wait)
                    heapq.heappush(queue, started)
                    answered = True
                    user_id = rng.choice(AGENTS)
                    rank = rng.choice((1, 1, 1, 2, 2, 3))
                    handle = lognormal(rng, 330.0, 0.8)
                    ended = started + dt.timedelta(seconds=handle)
                    status = FINISHED if chance(rng, 0.5) else CLOSED
                    roll = rng.random()
                    if roll < 0.01:
                        status, started, ended = IN_QUEUE, None, None
                        user_id, answered, rank = "", False, ""
                    elif roll < 0.025:
                        status, ended = CUSTOMER_LAST, None
                    elif roll < 0.04:
                        status, ended = USER_LAST, None
                    elif roll < 0.043:
                        status = DELETED
        first, last = fake.person(rng)
        has_name = chance(rng, 0.7)
        customer_roll = rng.random()
        customer_id: object = (
            rng.randint(1, 8000)
            if customer_roll < 0.6
            else (-1 if customer_roll < 0.85 else "")
        )
        last_activity = ended or started or requested
        idle = last_activity - dt.timedelta(seconds=rng.uniform(0.0, 20.0))
        idle = max(idle, requested)
        fetch = last_activity + dt.timedelta(seconds=rng.uniform(0.0, 5.0))
        host_roll = rng.random()
        host = (
            fake.ipv4(rng)
            if host_roll < 0.75
            else (fake.hostname(rng) if host_roll < 0.9 else "")
        )
        if bot_alone:
            last_message = rng.choice(BOT_LAST)
        elif answered or status == CLOSED_FROM_QUEUE:
            last_message = rng.choice(LAST_MESSAGES)
        else:
            last_message = ""
        rated = answered and status in (FINISHED, CLOSED) and chance(rng, 0.25)
        country = COUNTRY.pick(rng)
        return [
            self._next_id,
            topic,
            user_id,
            customer_id,
            fake.full_name(first, last)
            if has_name
            else f"Guest {rng.randint(1000, 9999)}",
            status,
            sql_dt(requested),
            sql_dt(started),
            sql_dt(ended),
            sql_dt(idle),
            sql_dt(fetch),
            hex_token(rng, 16),
            queue_pos,
            host,
            alert,
            rank,
            fake.full_name(first, last) if has_name else "",
            rng.choice(fake.COMPANIES) if chance(rng, 0.3) else "",
            fake.email(first, last, rng) if chance(rng, 0.6) else "",
            fake.phone_display(rng) if chance(rng, 0.35) else "",
            rng.choice(FIRST_MESSAGES),
            last_message,
            FLAGS.pick(rng),
            rng.randint(1, 300) if chance(rng, 0.02) else "",
            rng.randint(1, 2000) if chance(rng, 0.03) else "",
            rng.randint(10_000, 99_999) if chance(rng, 0.2) else "",
            rng.randint(1, 3000) if chance(rng, 0.4) else "",
            rng.choice(AGENTS) if answered and chance(rng, 0.03) else "",
            bit(chance(rng, 0.85)),
            bot_active,
            "" if country is None else country,
            RATING.pick(rng) if rated else "",
        ]

    def finish(self, next_day: dt.date) -> list[Path]:
        return []

    def counts(self) -> dict[str, int]:
        return {"superoffice": self.rows}
