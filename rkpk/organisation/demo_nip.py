"""The fictional NIPs of the demo officials: one builder, each demo with its own numbers so
that the two demos' NIPs differ."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoNip:
    """How a demo spreads its officials' birth dates, appointment dates and sequence
    numbers over the index of each official."""

    women: frozenset[str]  # the sex hint of the demo's names: everyone else is a man
    first_birth_year: int
    birth_year_step: int
    birth_years: int
    birth_month_step: int
    birth_day_step: int
    birth_days: int
    appointed_at: int  # age at appointment, plus the unit's level
    appointed_month_step: int
    first_sequence: int

    def __call__(self, index: int, level: int, name: str) -> str:
        """A well-formed 18-digit NIP: birth date, appointment month, sex (15th digit: 1 a
        man, 2 a woman, from the official's name), sequence."""
        birth_year = self.first_birth_year + (index * self.birth_year_step) % self.birth_years
        birth_month = (index * self.birth_month_step) % 12 + 1
        birth_day = (index * self.birth_day_step) % self.birth_days + 1
        appointed_year = birth_year + self.appointed_at + level
        appointed_month = (index * self.appointed_month_step) % 12 + 1
        sex = 2 if name in self.women else 1
        sequence = (self.first_sequence + index) % 1000
        return (
            f"{birth_year}{birth_month:02d}{birth_day:02d}"
            f"{appointed_year}{appointed_month:02d}{sex}{sequence:03d}"
        )
