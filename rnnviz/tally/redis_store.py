"""The tally in Redis: one hash per class and lesson, field `question \\x1f student` -> `right answer`."""
from __future__ import annotations

from .base import DAY, Answer, Counts

SEP = "\x1f"                    # between question and student in a field name (neither holds it)


class RedisTally:
    """A Redis server every machine of a deployment reaches; a lesson's hash expires a day after its last answer."""

    def __init__(self, url: str):
        import redis
        self.db = redis.Redis.from_url(url, decode_responses=True)

    @staticmethod
    def key(code: str, lesson: str) -> str:
        return f"rnnviz:tally:{len(code)}:{code}:{lesson}"       # the length first: no two (code, lesson) share a key

    def add(self, code: str, lesson: str, student: str, answer: Answer) -> None:
        key = self.key(code, lesson)
        with self.db.pipeline() as p:           # MULTI/EXEC: the answer and the key's new day go together
            p.hset(key, f"{answer.question}{SEP}{student}", f"{int(answer.right)}{answer.answer}")
            p.expire(key, int(DAY))
            p.execute()

    def _all(self, code: str, lesson: str):
        for field, value in self.db.hgetall(self.key(code, lesson)).items():
            field, value = str(field), str(value)               # decode_responses: str already
            question, _, student = field.partition(SEP)
            yield question, student, Answer(question, value[1:], value[:1] == "1")

    def counts(self, code: str, lesson: str) -> Counts:
        counts: Counts = {}
        for question, _, a in self._all(code, lesson):
            n, _ = counts.setdefault(question, {}).get(a.answer, (0, a.right))
            counts[question][a.answer] = (n + 1, a.right)
        return counts

    def mine(self, code: str, lesson: str, student: str) -> dict[str, Answer]:
        return {q: a for q, s, a in self._all(code, lesson) if s == student}

    def reset(self, code: str, lesson: str) -> None:
        self.db.delete(self.key(code, lesson))
