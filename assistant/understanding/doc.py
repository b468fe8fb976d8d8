"""One utterance, analysed once: tokens, sentences, clauses, person mentions and role holders.

A *holder* is anything that can be the subject a role is given to: a named person, the speaker
("I", "me"), a pronoun resolved to a person, a group ("the steering committee"), or a blocker
that takes a role away from everyone else in its clause ("we", "they", "the CFO", "nobody").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.domain import ItemId, UnderstandingContext, Utterance
from assistant.understanding.clauses import Token, fold, lower, normalise, sentences, tokenize, words
from assistant.understanding.coref import (
    FEMALE_PRONOUNS,
    FIRST_PERSON,
    MALE_PRONOUNS,
    antecedent,
    pronoun_gender,
    resolve_mentions,
)
from assistant.understanding.lexicon import LEXICON
from assistant.understanding.names import KnownNames, Mention, find_people, strip_title
from assistant.understanding.speech import caseless, truecase

JOB_NOUNS = frozenset(
    words(
        """job responsibility responsibilities remit area baby domain call decision thing patch brief problem
        neck shoulders plate desk project rollout programme show role"""
    )
)
TEAM_NOUNS = frozenset(
    words("""team teams department dept group unit office crew squad people staff function division network""")
)
_GROUP_RE = re.compile(
    r"\b(?:the |our |a |an |my |their )?(?:(?:\w+|l&d) )?(?:steering (?:committee|group|board)|committee|board|"
    r"leadership team|management team|exec(?:utive)? team|senior team|slt|council|working group|"
    r"partners|leadership|trustees|governors|(?:[a-z&-]+ )?(?:team|department|dept|function|division|unit|network))\b"
    r"(?! (?:heads?|leads?|managers?|directors?|members?|leaders?)\b)"
    r"|\b(?:it|hr|l&d|ops|operations|finance|procurement|facilities|engineering)\b(?= (?:owns?|will|is|are|"
    r"handles?|runs?|leads|does|takes?|has|have|'ll))"
)
_BLOCKER_RE = re.compile(
    r"\b(?:the|our|my|their|your|a|an) (?:deputy |assistant |new |own |)(?:ceo|cfo|coo|cio|cto|cmo|cno|"
    r"chief \w+(?: officer)?|head(?: of \w+)?|director(?: of \w+)?|manager|vendor|supplier|provider|"
    r"consultants?|boss|president|chair|principal|provost|dean|superintendent|shift leads?|"
    r"supervisors?|trainers|analysts?|coaches|champions|super-?users|managers|leads)\b"
)
_NOBODY_RE = re.compile(r"\b(?:nobody|no one|no-one|noone|none of us)\b(?! else)")
_PROVIDER_MARK_AFTER = re.compile(
    r"^\s*(?:,\s*)?(?:from|on|at) (?:your|the vendor's|the provider's) (?:side|team|end|company)"
    r"|^\s*(?:,\s*)?(?:from|on|at|with) (?:the|your) (?:vendor|provider|supplier|implementation partner|"
    r"implementation|integrator|software (?:vendor|provider|supplier))(?:'s)?(?: (?:side|team|end|company))?\b"
)
_PROVIDER_MARK_BEFORE = re.compile(
    r"\byour (?:consultant|pm|project manager|engineer|trainer|colleague|lead|analyst)s?,?\s*$"
)
_OUR_SIDE_AFTER = re.compile(r"^\s*(?:,\s*)?(?:from|on) our (?:side|team|end)")


@dataclass
class Holder:
    kind: str  # person | speaker | group | other | we | nobody
    tok_start: int
    tok_end: int
    name: str | None = None
    team: str | None = None
    provider: bool = False
    text: str = ""
    possessive: bool = False

    @property
    def assignable(self) -> bool:
        return self.kind in ("person", "speaker") and not self.provider and bool(self.name)


_CONTRACTION_NEXT = frozenset(
    words(
        """in on at the a an our your my his her their going been got not also just really probably definitely
        now still already responsible accountable agreed taking running leading doing handling looking happy
        keen our very quite the one always never our fine great"""
    )
)


def contraction_s(tokens: list[Token], i: int) -> bool:
    """'Lina's in charge' / 'Sam's the PM': the 's is 'is' or 'has', not a possessive."""
    t = tokens[i]
    if not t.possessive or i + 1 >= len(tokens):
        return False
    nxt = tokens[i + 1].low
    return nxt in _CONTRACTION_NEXT or (nxt.endswith("ing") and len(nxt) > 4) or (nxt.endswith("ed") and len(nxt) > 4)


@dataclass
class Clause:
    start: int  # token index
    end: int  # exclusive
    sent: int


@dataclass
class Doc:
    utt: Utterance
    ctx: UnderstandingContext
    text: str
    norm: str
    low: str
    tokens: list[Token]
    sent_spans: list[tuple[int, int]]
    sent_tok: list[tuple[int, int]]
    mentions: list[Mention]
    holders: list[Holder]
    speaker: str
    clauses: list[Clause] = field(default_factory=list)
    caps_mode: bool = False
    contractions: set[int] = field(default_factory=set)
    aliases: dict[str, str] = field(default_factory=dict)  # nicknames said or used here -> full name

    def verbish(self, i: int) -> bool:
        return i in self.contractions or is_verbish(self.tokens[i])

    @property
    def item(self) -> ItemId | None:
        return self.utt.item

    def tok_at(self, char: int) -> int:
        """Index of the first token that ends after `char`."""
        for t in self.tokens:
            if t.end > char:
                return t.i
        return len(self.tokens)

    def span(self, tok_start: int, tok_end: int) -> str:
        if tok_start >= tok_end or tok_start >= len(self.tokens):
            return ""
        return self.text[self.tokens[tok_start].start : self.tokens[min(tok_end, len(self.tokens)) - 1].end]

    def sent_text(self, s: int) -> str:
        a, b = self.sent_spans[s]
        return self.text[a:b]

    def sent_low(self, s: int) -> str:
        a, b = self.sent_spans[s]
        return self.low[a:b]

    def sent_of(self, tok: int) -> int:
        for k, (a, b) in enumerate(self.sent_tok):
            if a <= tok < b:
                return k
        return max(0, len(self.sent_tok) - 1)

    def is_question(self, s: int) -> bool:
        return self.sent_text(s).rstrip().endswith("?")

    def holders_in(self, a: int, b: int) -> list[Holder]:
        return [h for h in self.holders if a <= h.tok_start < b]


def analyse(utt: Utterance, ctx: UnderstandingContext) -> Doc:
    text = utt.text
    norm = normalise(text)
    letters = [c for c in norm if c.isalpha()]
    caps_mode = bool(letters) and len(letters) > 3 and not any(c.islower() for c in letters)
    speaker = strip_title(utt.speaker)
    known_list = [strip_title(n) for n in [*ctx.stakeholders, *ctx.recent_people, speaker, *ctx.provider_people]]
    work = norm
    if caps_mode:
        # "KAREN LOPEZ RUNS IT." -> title case for the name finder; same length by construction
        work = "".join((w.capitalize() if len(w.capitalize()) == len(w) else w) for w in re.split(r"(\W+)", norm))
    elif caseless(norm):
        work = truecase(norm, known_list)  # speech-to-text: the names get their capitals back
    tokens = tokenize(work)
    low = lower(norm)
    sent_spans = sentences(text)
    sent_tok: list[tuple[int, int]] = []
    for a, b in sent_spans:
        idx = [t.i for t in tokens if t.start >= a and t.end <= b]
        sent_tok.append((idx[0], idx[-1] + 1) if idx else (len(tokens), len(tokens)))
    sent_starts = {a for a, _ in sent_tok}
    known = KnownNames.build([*known_list, *ctx.aliases])
    mentions = find_people(tokens, sent_starts, known, caps_mode)
    said_full = [m.text for m in mentions if len(m.text.split()) > 1]
    if said_full:  # "Bisi Oke ...; Bisi also leads IT": names said in full make their parts known
        known = KnownNames.build([*known_list, *ctx.aliases, *said_full])
        mentions = find_people(tokens, sent_starts, known, caps_mode)
    said = said_aliases(mentions, norm)
    aliases = resolve_mentions(mentions, known_list, {**ctx.aliases, **said}) | said
    provider_names = {fold(strip_title(p)) for p in ctx.provider_people}
    client_names = {fold(strip_title(p)) for p in ctx.stakeholders}
    for m in mentions:
        f = fold(m.name)
        after = low[m.end : m.end + 40]
        before = low[max(0, m.start - 40) : m.start]
        if (
            f in provider_names
            and f not in client_names
            or utt.side != "provider"
            and (_PROVIDER_MARK_AFTER.search(after) or _PROVIDER_MARK_BEFORE.search(before))
            or utt.side == "provider"
            and _OUR_SIDE_AFTER.search(after)
        ):
            m.provider = True
    doc = Doc(utt, ctx, text, norm, low, tokens, sent_spans, sent_tok, mentions, [], speaker, caps_mode=caps_mode)
    doc.aliases = aliases
    doc.holders = _holders(doc)
    return doc


_NICK_BEFORE = re.compile(
    r"^[^.!?]{0,80}?\b(?i:" + LEXICON.alternation("nickname_before") + r")\s+(?P<nick>[A-Z][\w'-]+)"
)
_NICK_APPOSITION = re.compile(
    r"^\s*[,(\u2013\u2014-]\s*(?P<nick>[A-Z][\w'-]+)\s*,?\s*(?i:" + LEXICON.alternation("nickname_after") + r")\b"
)
_NOT_NICK = frozenset(words("i me him her them the our it this that"))


def said_aliases(mentions: list[Mention], text: str) -> dict[str, str]:
    """'Olufunmilayo Adebayo - everyone calls her Funmi -', 'Aleksandra Nowak, Ola to most of us,':
    a capitalised word tied to the full name just before it is that person's nickname."""
    out: dict[str, str] = {}
    for full in mentions:
        if len(full.text.split()) < 2:
            continue
        after = text[full.end : full.end + 90]
        m = _NICK_BEFORE.search(after) or _NICK_APPOSITION.match(after)
        if m and m.group("nick") and fold(m.group("nick")) not in _NOT_NICK:
            out[m.group("nick")] = strip_title(full.text)
    return out


def _holders(doc: Doc) -> list[Holder]:
    tokens, low = doc.tokens, doc.low
    out: list[Holder] = []
    taken: set[int] = set()
    provider_speaker = doc.utt.side == "provider"
    for m in doc.mentions:
        team = None
        if m.possessive and contraction_s(tokens, m.tok_end - 1):
            m.possessive = False
            doc.contractions.add(m.tok_end - 1)
        if m.possessive and m.tok_end < len(tokens) and tokens[m.tok_end].low in TEAM_NOUNS:
            team = doc.span(m.tok_start, m.tok_end + 1)
        out.append(Holder("person", m.tok_start, m.tok_end, m.name, team, m.provider, m.text, possessive=m.possessive))
        taken.update(range(m.tok_start, m.tok_end))
    names_before: list[tuple[int, str]] = [(m.tok_start, m.name) for m in doc.mentions if not m.provider]
    for t in tokens:
        if t.i in taken:
            continue
        lo = t.low
        nxt = tokens[t.i + 1].low if t.i + 1 < len(tokens) else ""
        if lo in FIRST_PERSON or (lo == "my" and nxt in JOB_NOUNS):
            out.append(Holder("speaker", t.i, t.i + 1, doc.speaker, provider=provider_speaker, text=t.text))
        elif lo == "my" and nxt in TEAM_NOUNS:
            team = doc.span(t.i, t.i + 2)
            out.append(Holder("speaker", t.i, t.i + 2, doc.speaker, team, provider_speaker, text=team))
        elif lo in MALE_PRONOUNS or lo in FEMALE_PRONOUNS:
            determiner_only = lo in ("his", "her") and nxt not in JOB_NOUNS and nxt not in TEAM_NOUNS
            if lo == "his" and (t.i + 1 >= len(tokens) or not tokens[t.i + 1].is_word):
                determiner_only = False  # "the integration is his": a predicate, not a determiner
            if determiner_only and (lo == "his" or not _object_her(tokens, t.i)):
                continue
            g = pronoun_gender(lo) or "m"
            before = [n for (pos, n) in names_before if pos < t.i]
            if lo in ("him", "her") and before:
                # "Segun prepares it for her": an object pronoun is not its own clause's subject
                k = t.i - 1
                while k > 0 and tokens[k].text not in (",", ";", ".") and tokens[k].low not in ("and", "but", "so"):
                    k -= 1
                same = [n for (pos, n) in names_before if k < pos < t.i]
                if same:
                    before = [n for (pos, n) in names_before if pos <= k]
                    if not before:
                        continue
            name = antecedent(g, before, [strip_title(r) for r in doc.ctx.recent_people], {doc.speaker})
            if name is None:
                continue
            team = doc.span(t.i, t.i + 2) if nxt in TEAM_NOUNS and lo in ("his", "her") else None
            prov = fold(name) in {fold(strip_title(p)) for p in doc.ctx.provider_people}
            poss = (lo in ("his", "her") and nxt in JOB_NOUNS) or not determiner_only and lo in ("his", "hers")
            out.append(Holder("person", t.i, t.i + (2 if team else 1), name, team, prov, text=t.text, possessive=poss))
        elif lo in ("we", "us", "we'll", "we're", "we've", "we'd"):
            out.append(Holder("we", t.i, t.i + 1, text=t.text))
        elif lo in ("they", "they'll", "they're", "they've", "they'd", "you", "you'll"):
            out.append(Holder("other", t.i, t.i + 1, text=t.text))
        elif lo in ("everyone", "everybody", "everyone's", "everybody's"):
            out.append(Holder("group", t.i, t.i + 1, text=t.text))
    for rx, kind in ((_GROUP_RE, "group"), (_BLOCKER_RE, "other"), (_NOBODY_RE, "nobody")):
        for mt in rx.finditer(low):
            a = doc.tok_at(mt.start())
            b = doc.tok_at(mt.end() - 1) + 1
            if any(i in taken for i in range(a, b)):
                continue
            if kind == "group" and doc.text[mt.start() : mt.end()] in ("it", "It"):
                continue  # the pronoun, not the IT department
            # "Priya's team" is Priya; "his team" is him: already holders
            if any(h.tok_start <= a < h.tok_end or (h.team and h.tok_start < b <= h.tok_end + 1) for h in out):
                continue
            out.append(Holder(kind, a, b, text=doc.text[mt.start() : mt.end()]))
            taken.update(range(a, b))
    out.sort(key=lambda h: h.tok_start)
    return out


def _object_her(tokens: list[Token], i: int) -> bool:
    """'her' as an object pronoun ('I support her') rather than a determiner ('her deputy')."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return nxt is None or not nxt.is_word or nxt.low in ("to", "with", "on", "in", "at", "and", "for", "as", "if")


def strip_possessive(s: str) -> str:
    return s[:-2] if s.endswith(("'s", "\u2019s")) else s


__all__ = ["Doc", "Holder", "Clause", "analyse", "JOB_NOUNS", "TEAM_NOUNS", "fold", "lower"]


# ---- clauses ----

AUX = frozenset(
    words(
        """is are was were be been being am 's 'm 're will 'll would 'd can could should shall may might must
        do does did has have had"""
    )
)
_VERB_WORDS = frozenset(
    words(
        """runs owns leads handles takes sends hosts chairs tracks reviews manages coordinates organises
        organizes champions looks keeps pulls builds produces compiles prepares reports presents sponsors
        backs trains coaches teaches writes edits publishes posts emails covers drives oversees delivers
        sits rests lies falls goes comes belongs run own lead handle take send host chair track review
        manage coordinate organise organize champion look keep pull build produce compile prepare report
        present sponsor back train coach teach write edit publish post email cover drive oversee deliver sit
        rest lie fall go come belong got decide decides support supports help helps assist assists know
        knows knew joined left think thinks said want wants need needs like likes meet meets attend attends
        mean means"""
    )
)


def is_verbish(tok: Token) -> bool:
    lo = tok.low
    if lo in AUX or lo in _VERB_WORDS:
        return True
    return (
        "'" in lo
        and lo.split("'")[-1] in ("s", "ll", "m", "re", "ve", "d")
        and lo.split("'")[0]
        in (
            "i",
            "he",
            "she",
            "it",
            "that",
            "we",
            "they",
            "you",
            "who",
            "there",
            "what",
            "this",
        )
    )


def build_clauses(doc: Doc) -> list[Clause]:
    out: list[Clause] = []
    holder_at = {h.tok_start: h for h in doc.holders}
    toks = doc.tokens
    for s, (a, b) in enumerate(doc.sent_tok):
        cur = a
        i = a
        while i < b:
            t = toks[i]
            cut: int | None = None
            if t.text in (";",):
                cut = i + 1
            elif (
                t.low in ("but", "whereas", "although", "though")
                and i > cur
                or t.low in ("so", "while")
                and i > cur
                and toks[i - 1].text == ","
            ):
                cut = i
            elif (t.low == "and" or t.text == ",") and i > cur:
                k = i + 1
                while k < b and toks[k].low in ("and", "then", "also", "yes", "now", "so", "in", "practice"):
                    k += 1
                h = holder_at.get(k)
                left_verb = any(doc.verbish(x.i) for x in toks[cur:i])
                if (
                    h is None
                    and k < b
                    and toks[k].low in ("it's", "that's", "it", "that")
                    and left_verb
                    and i > cur + 2
                ):
                    nxt2 = toks[k + 1].low if k + 1 < b else ""
                    if toks[k].low in ("it's", "that's") or nxt2 in ("is", "was", "will", "'s"):
                        out.append(Clause(cur, i, s))
                        cur = i
                        i += 1
                        continue
                h0 = holder_at.get(cur if toks[cur].is_word else cur + 1)
                if h0 is not None and h0.tok_end < i and toks[h0.tok_end].low in ("the", "our", "a", "as"):
                    left_verb = True  # an elided clause: "Priya the metrics, and I the budget"
                if h is not None and left_verb and h.kind in ("person", "speaker", "we", "other", "nobody"):
                    after = toks[h.tok_end] if h.tok_end < b else None
                    if (
                        after is None
                        or doc.verbish(after.i)
                        or after.low in ("the", "our", "as", "is", "will", "just", "only", "also", "really", "of")
                        or doc.verbish(h.tok_end - 1)
                        or doc.verbish(h.tok_start)
                    ):
                        cut = i if t.low == "and" or t.text == "," else i + 1
            if cut is not None and cut > cur:
                out.append(Clause(cur, cut, s))
                cur = cut
            i += 1
        if cur < b:
            out.append(Clause(cur, b, s))
    return out
