#!/usr/bin/env python3
"""Writes N English sentences from a small seeded grammar, one a line: a corpus for timing `analyze`
against `spark analyze` (usage: make-corpus.py N SEED > corpus.txt). Texts run from 4 to about 40 words."""
import random
import sys

SUBJECTS = ["the cat", "a river", "my neighbour", "the old engine", "every student", "the committee",
            "a quiet town", "the market", "our teacher", "the small boat", "a tired runner", "the city council"]
VERBS = ["watches", "crosses", "remembers", "repairs", "questions", "follows", "paints", "describes",
         "ignores", "carries", "measures", "announces"]
OBJECTS = ["the bridge", "a long letter", "the northern hills", "its own shadow", "the evening news",
           "a broken clock", "the first snow", "seven small boats", "the price of bread", "an empty room"]
TAILS = ["before dawn", "with great care", "after the storm", "in silence", "for the third time",
         "without a map", "as the bells ring", "near the station", "despite the rain", "every morning"]

def main():
    n, seed = int(sys.argv[1]), int(sys.argv[2])
    r = random.Random(seed)
    out = sys.stdout
    for _ in range(n):
        clauses = []
        for _ in range(1 + r.randrange(4)):
            c = f"{r.choice(SUBJECTS)} {r.choice(VERBS)} {r.choice(OBJECTS)}"
            if r.random() < 0.5:
                c += " " + r.choice(TAILS)
            clauses.append(c)
        s = " and ".join(clauses)
        out.write(s[0].upper() + s[1:] + ".\n")

if __name__ == "__main__":
    main()
