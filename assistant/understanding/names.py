"""Person names offline: stdlib rules plus a given-name / surname lexicon taken from `faker`.

Rules (per ARCHITECTURE.md): titles, name particles, a stoplist of days, months, products and
acronyms, and a veto on a lone capitalised word after in/on/at/via. The lexicon holds the given
names and surnames of faker's person providers in many locales (Cyrillic ones transliterated),
built once at first use. The conversation's own names (stakeholders, people mentioned earlier)
are always accepted, also in lower-case speech-to-text output.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.understanding.clauses import Token, fold, words

TITLES = frozenset(
    words(
        """dr doctor prof professor mr mrs ms miss mx sir dame lord lady captain capt major colonel col
        lieutenant lt sergeant sgt commander cmdr rev reverend fr judge justice hon cllr councillor senator
        sister brother baroness baron countess duke duchess earl viscount dato datuk"""
    )
)
PARTICLES = frozenset(
    words(
        """de del della der den di da das dos du la le van von ter ten bin binti bint ibn al el y zu af av ó ní
        nic mac ua"""
    )
)
_DAYS_MONTHS = frozenset(
    words(
        """monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun january
        february march april may june july august september october november december jan feb mar apr jun
        jul aug sep sept oct nov dec"""
    )
)
_PRODUCTS = frozenset(
    words(
        """teams slack zoom sap salesforce workday jira confluence excel sharepoint outlook gmail google
        microsoft oracle netsuite hubspot dynamics tableau looker power yammer webex skype whatsapp moodle
        canvas blackboard epic cerner servicenow zendesk kronos dropbox notion asana trello linkedin
        facebook twitter amazon aws azure ios android windows iphone ipad intranet erp crm hris wms lms ehr
        emr pos api sso kpi kpis pmo bi it hr ops sql python tablet docusign adobe okta citrix meditech
        allscripts sage xero quickbooks shopify magento bamboohr successfactors ukg adp greenhouse lever
        gusto rippling coupa ariba concur marketo mailchimp miro figma github gitlab"""
    )
)
_ORG_WORDS = frozenset(
    words(
        """team teams committee board council department dept group bank hospital university school college ltd
        inc llc plc gmbh corp company services systems solutions centre center trust foundation authority
        agency ministry office unit division airport station street road avenue region district county city
        depot warehouse hotel hotels store stores plant site campus ward lab clinic project programme
        program platform portal module system app cloud suite academy manager director officer lead head
        chief president analyst engineer sponsor owner coordinator supervisor executive superintendent
        partner vp ceo cfo coo cio cto cmo chair chairman chairwoman deputy assistant nurse consultant
        surgeon support desk helpdesk service operations finance marketing sales legal procurement logistics
        north south east west central northern southern eastern western group's"""
    )
)
# Capitalised at the start of a sentence, or in job titles, but never a person on their own.
_EXTRA_COMMON = frozenset(
    words(
        """yes yeah yep no nope hi hello hey thanks thank okay ok right well so also honestly actually
        basically probably maybe perhaps our your their his her its the this that these those every each
        some any all both either neither one two three four five six seven eight nine ten first second third
        last next training weekly monthly daily quarterly annual fortnightly project pilot phase go-live
        golive store region branch manager director head chief officer sponsor owner lead leader team
        committee board teachers nurses drivers staff users managers agents clerks pickers engineers
        technicians reps great good fine sure absolutely definitely certainly indeed alright hmm um uh er oh
        ah ha wow sorry please just only even still again then now today tomorrow yesterday tonight later
        soon before after during until since while because although though however therefore meanwhile
        initially eventually finally ideally realistically frankly truthfully obviously clearly sadly
        luckily unfortunately fortunately apparently essentially generally usually normally typically nobody
        everyone everybody someone somebody anyone anybody none nothing something everything scratch
        correction earlier between among across around within without against toward towards front back top
        bottom middle new old big small main key core shared single overall total full average mean median
        net gross cost revenue time rate share percent percentage number count adoption uptime throughput
        accuracy satisfaction quality error errors defect defects score scores case cases claims claim field
        sales payroll finance lab theatre course student students teacher parent parents patient patients
        customer customers client clients vendor supplier provider reporting report reports metrics metric
        dashboard dashboards data integration integrations infrastructure security communications comms
        newsletter digest memo update updates meeting meetings call calls stand-up standup huddle check-in
        sync webinar town hall bulletin status page pages tickets ticket orders order invoices invoice pick
        picking logins login dock"""
    )
)
_VETO_BEFORE = frozenset(["in", "on", "at", "via", "near", "across", "into", "onto", "inside", "outside", "around"])
_DETERMINERS = frozenset(words("""the a an this that these those its their our your my his her every each"""))
_PRONOUNS = frozenset(words("""i me my mine myself we us our you your he him his she her they them their it"""))
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
        words("""a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya i yi ye g"""),
        strict=True,
    )
)


def _translit(name: str) -> str:
    out = []
    for c in name:
        low = c.lower()
        if low in _CYRILLIC:
            t = _CYRILLIC[low].replace("_", "")
            out.append(t.capitalize() if c.isupper() else t)
        else:
            out.append(c)
    return "".join(out)


def _names(value: object) -> Iterable[str]:
    if isinstance(value, dict):
        return [k for k in value if isinstance(k, str)]
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str)]
    return []


def _latin(name: str) -> bool:
    return all(c.isascii() or ord(c) < 0x250 or c in "'’- " for c in name)


@dataclass(frozen=True)
class Lexicon:
    given: frozenset[str]
    surnames: frozenset[str]
    male: frozenset[str]
    female: frozenset[str]
    common: frozenset[str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Given names and surnames from faker's person providers (all locales with Latin or Cyrillic script)."""
    import faker.providers.person as person_pkg

    given: set[str] = set()
    surnames: set[str] = set()
    male: set[str] = set()
    female: set[str] = set()
    for mod_info in pkgutil.iter_modules(person_pkg.__path__):
        try:
            mod = importlib.import_module(f"faker.providers.person.{mod_info.name}")
        except Exception:  # pragma: no cover - a broken locale must not break the product
            continue
        attrs = vars(mod.Provider)
        for attr, value in attrs.items():
            if not attr.startswith(("first_", "last_")) or callable(value) or attr.endswith("formats"):
                continue
            for raw in _names(value):
                name = _translit(raw) if mod_info.name[:2] in ("ru", "uk", "bg") else raw
                if not _latin(name):
                    continue
                for part in name.replace("-", " ").split() + [name]:
                    f = fold(part)
                    if len(f) < 2:
                        continue
                    if attr.startswith("first_"):
                        given.add(f)
                        if "female" in attr:
                            female.add(f)
                        elif "male" in attr:
                            male.add(f)
                    else:
                        surnames.add(f)
    from faker.providers.lorem.en_US import Provider as Lorem

    common = {fold(w) for w in Lorem.word_list} | _EXTRA_COMMON
    return Lexicon(frozenset(given), frozenset(surnames), frozenset(male), frozenset(female), frozenset(common))


def gender(name: str) -> str | None:
    """'m', 'f' or None (unknown or used for both) from the first given name."""
    lex = lexicon()
    first = fold(name.split()[0]) if name.split() else ""
    first = first.split("-")[0] if first not in lex.given else first
    is_m, is_f = first in lex.male, first in lex.female
    if is_m and not is_f:
        return "m"
    if is_f and not is_m:
        return "f"
    return None


@dataclass
class Mention:
    """A person name found in the text: token range [tok_start, tok_end), char span without the title."""

    tok_start: int
    tok_end: int
    start: int
    end: int
    text: str
    title: str | None = None
    possessive: bool = False
    known: bool = False
    name: str = ""  # canonical full name, filled by coref
    provider: bool = False
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class KnownNames:
    """The conversation's own names, folded, for matching and lower-case speech."""

    full: tuple[str, ...]  # display forms
    tokens: frozenset[str]
    given: frozenset[str] = frozenset()  # first names of the known full names, for nicknames

    def knows(self, word: str) -> bool:
        """A part of a known name, or a short form of a known first name ("Kev" for Kevin)."""
        return word in self.tokens or any(short_form(word, g) for g in self.given)

    @staticmethod
    def build(names: Iterable[str]) -> KnownNames:
        full: list[str] = []
        toks: set[str] = set()
        for n in names:
            n = strip_title(n)
            parts = [p for p in n.split() if not _is_pronoun(p)]
            n = " ".join(parts)
            if n and n not in full:
                full.append(n)
                for part in parts:
                    toks.add(fold(part))
                    for sub in part.split("-"):
                        toks.add(fold(sub))
        given = frozenset(fold(n.split()[0]) for n in full if len(n.split()) > 1)
        return KnownNames(tuple(full), frozenset(toks), given)


def short_form(word: str, given: str) -> bool:
    """'kev' is a short form of 'kevin' (folded words, at least three letters)."""
    return len(word) >= 3 and given.startswith(word) and given != word


def strip_title(name: str) -> str:
    """'Dr. Amara Okafor' -> 'Amara Okafor'; also drops stray pronouns ("I'm Sven" -> "Sven")."""
    parts = [p for p in name.replace(".", ". ").split() if not _is_pronoun(p)]
    while parts and fold(parts[0].rstrip(".")) in TITLES and len(parts) > 1:
        parts = parts[1:]
    return " ".join(p for p in parts if p != ".").strip()


def _is_pronoun(word: str) -> bool:
    w = fold(word)
    return w in _PRONOUNS or w.split("'")[0] in ("i", "he", "she", "we", "they", "you", "it", "that", "there")


def _is_acronym(tok: Token) -> bool:
    letters = [c for c in tok.base if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _name_like(tok: Token, known: KnownNames, caps_mode: bool) -> bool:
    """Could this token be part of a name? Capitalised, not an acronym, not on the stoplist."""
    if not tok.is_word or not tok.text[0].isalpha():
        return False
    if _is_pronoun(tok.text):
        return False  # "I'm Sven": the pronoun is never part of the name
    f = fold(tok.base)
    if f in known.tokens:
        return tok.is_cap or caps_mode
    if tok.is_cap and known.knows(f):
        return True  # "Kev" for the Kevin the conversation knows
    if not tok.is_cap:
        return False
    if _is_acronym(tok) and not caps_mode:
        return False
    if caps_mode and (f in _VERBISH or f in _PRONOUNS or f in _DETERMINERS):
        lex = lexicon()
        if f not in lex.given and f not in lex.surnames:
            return False  # "KAREN LOPEZ RUNS THE DATA MIGRATION": the verb ends the name
    return not (f in _PRODUCTS or f in TITLES)


def find_people(
    tokens: list[Token], sent_starts: set[int], known: KnownNames, caps_mode: bool = False
) -> list[Mention]:
    """Person mentions in `tokens`. `sent_starts` holds the token indices that begin a sentence."""
    lex = lexicon()
    out: list[Mention] = []
    n = len(tokens)
    i = 0
    lowercase_mode = not caps_mode and not any(
        t.is_cap and t.low not in ("i", "i'm", "i'll", "i'd", "i've") for t in tokens if t.is_word
    )
    if lowercase_mode:
        return _find_known_lowercase(tokens, known)
    while i < n:
        tok = tokens[i]
        if not _name_like(tok, known, caps_mode):
            i += 1
            continue
        parts = [i]
        j = i
        while j + 1 < n and len(parts) < 5 and not tokens[j].possessive:
            nxt = tokens[j + 1]
            if nxt.start - tokens[j].end > 1:
                break
            if caps_mode and len(parts) >= 2 and fold(nxt.base) in _VERBISH and fold(nxt.base) not in known.tokens:
                break  # "PRIYA SHAH WILL LEAD": an auxiliary after a full name is not a third name
            if _name_like(nxt, known, caps_mode):
                j += 1
                parts.append(j)
                continue
            # particles inside a name: "van der", "bin", "de la"
            k = j + 1
            while k < n and k - j <= 3 and fold(tokens[k].text) in PARTICLES and not tokens[k].is_cap:
                k += 1
            if k > j + 1 and k < n and _name_like(tokens[k], known, caps_mode) and tokens[k].is_cap:
                parts.extend(range(j + 1, k + 1))
                j = k
                continue
            break
        for sub in _split_run(tokens, parts, known, lex):
            if _org_modifier(tokens, sub, known):
                continue  # "the Crew Training Centre", "our Digital Construction team": an organisation
            m = _judge(tokens, sub, sent_starts, known, lex, caps_mode)
            if m is not None:
                out.append(m)
        i = j + 1
    return out


_ORG_HEADS = frozenset(
    words(
        """team teams committee board council department dept group unit division office centre center
        institute academy agency authority trust foundation services systems solutions ltd inc llc plc gmbh corp
        company desk hub network lab laboratory"""
    )
)


def _org_modifier(tokens: list[Token], sub: list[int], known: KnownNames) -> bool:
    """A capitalised run directly followed by an organisation head noun names that organisation."""
    last = tokens[sub[-1]]
    if last.possessive or sub[-1] + 1 >= len(tokens):
        return False
    nxt = tokens[sub[-1] + 1]
    if nxt.start - last.end > 1 or fold(nxt.base) not in _ORG_HEADS:
        return False
    if _title_before(tokens, sub[0]) is not None:
        return False
    return not any(fold(tokens[k].base) in known.tokens for k in sub)


def _split_run(tokens: list[Token], parts: list[int], known: KnownNames, lex: Lexicon) -> list[list[int]]:
    """Cut a capitalised run at stop words ('Microsoft Teams', 'Chief Executive Paul Brennan')."""
    subs: list[list[int]] = []
    cur: list[int] = []
    for idx in parts:
        f = fold(tokens[idx].base)
        stop = (f in _ORG_WORDS or f in _DAYS_MONTHS or f in _PRODUCTS) and f not in known.tokens
        if stop and f in _DAYS_MONTHS and f in lex.given and cur == [] and idx + 1 in parts:
            stop = False  # "May Chen", "June Park"
        if (
            stop
            and f in _ORG_WORDS
            and f in lex.surnames
            and len(cur) == 1
            and idx == parts[-1]
            and fold(tokens[cur[0]].base) in lex.given
            and (_title_before(tokens, cur[0]) is not None or not _org_continues(tokens, idx))
        ):
            stop = False  # "Prof. Helen Ward", "Ruth Hall": a surname that is also an organisation word
        if stop:
            if cur:
                subs.append(cur)
            cur = []
            continue
        cur.append(idx)
    if cur:
        subs.append(cur)
    # leading common words: "Probably Siobhán", "Honestly Ravi"
    trimmed = []
    for sub in subs:
        while len(sub) > 1 and fold(tokens[sub[0]].base) in lex.common and fold(tokens[sub[0]].base) not in lex.given:
            sub = sub[1:]
        while sub and fold(tokens[sub[-1]].text) in PARTICLES and not tokens[sub[-1]].is_cap:
            sub = sub[:-1]
        if sub:
            trimmed.append(sub)
    return trimmed


def _org_continues(tokens: list[Token], idx: int) -> bool:
    """'Helen Ward' then 'team' / 'of ...': the run names an organisation after all."""
    if idx + 1 >= len(tokens):
        return False
    nxt = tokens[idx + 1]
    return fold(nxt.base) in _ORG_WORDS or nxt.low in ("of", "at")


def _title_before(tokens: list[Token], idx: int) -> str | None:
    k = idx - 1
    if k >= 0 and tokens[k].text == ".":
        k -= 1
    if k >= 0 and fold(tokens[k].text) in TITLES and tokens[k].is_cap:
        return tokens[k].text
    return None


LEAD_TITLES = frozenset(["sheikh", "sheikha", "sayyid", "imam", "rabbi", "pastor", "father", "chief"])


def _judge(
    tokens: list[Token], sub: list[int], sent_starts: set[int], known: KnownNames, lex: Lexicon, caps_mode: bool
) -> Mention | None:
    title = _title_before(tokens, sub[0])
    if len(sub) > 2 and fold(tokens[sub[0]].text) in LEAD_TITLES:
        title, sub = tokens[sub[0]].text, sub[1:]  # "Sheikh Ali bin Hamad", but "Imran Sheikh" is a surname
    first, last = tokens[sub[0]], tokens[sub[-1]]
    words = [fold(tokens[k].base) for k in sub if fold(tokens[k].text) not in PARTICLES]
    is_known = any(known.knows(w) for w in words)
    ok = False
    if title or is_known:
        ok = True
    elif caps_mode:
        ok = len(words) >= 2 and words[0] in lex.given and (words[-1] in lex.surnames or words[-1] in lex.given)
    elif len(words) >= 2:
        all_common = all(w in lex.common for w in words)
        any_lex = any(w in lex.given or w in lex.surnames for w in words)
        ok = not all_common and (any_lex or not any(w in lex.common for w in words))
        if ok and words[0] in lex.common and words[0] not in lex.given and sub[0] in sent_starts:
            ok = False
    else:
        w = words[0] if words else ""
        prev = tokens[sub[0] - 1] if sub[0] > 0 else None
        nxt = tokens[sub[-1] + 1] if sub[-1] + 1 < len(tokens) else None
        prev_low = prev.low if prev is not None else ""
        veto = (
            prev_low in _VETO_BEFORE
            or prev_low in _DETERMINERS
            or (nxt is not None and nxt.text[0].isdigit())
            or w in lex.common
            or w in _DAYS_MONTHS
        )
        if not veto:
            if w in lex.given:
                ok = True
            elif sub[0] not in sent_starts and w not in lex.surnames:
                # an unknown capitalised word mid-sentence, followed by something verb-like
                ok = nxt is not None and (nxt.low in _VERBISH or nxt.text in (",", ")") or nxt.low.endswith("s"))
    if not ok:
        return None
    start, end = first.start, last.end
    text_end = end - 2 if last.possessive else end
    surface = " ".join([tokens[k].text for k in sub[:-1]] + [last.base])
    return Mention(
        tok_start=sub[0],
        tok_end=sub[-1] + 1,
        start=start,
        end=text_end,
        text=surface,
        title=title,
        possessive=last.possessive,
        known=is_known,
    )


_VERBISH = frozenset(
    words(
        """will is was 's 'll would could should can does did has have had runs owns leads handles takes sends
        hosts chairs tracks reviews manages coordinates organises organizes champions looks keeps and or
        from who whose at in on of with"""
    )
)


def _find_known_lowercase(tokens: list[Token], known: KnownNames) -> list[Mention]:
    """Lower-case speech: only the conversation's own names can be trusted."""
    out: list[Mention] = []
    folded = [fold(t.base) for t in tokens]
    full_parts = [[fold(p) for p in name.split()] for name in known.full]
    firsts = {parts[0] for parts in full_parts if parts}
    lasts = {parts[-1] for parts in full_parts if len(parts) > 1}
    i = 0
    while i < len(tokens):
        matched = 0
        for parts in sorted(full_parts, key=len, reverse=True):
            if len(parts) > 1 and folded[i : i + len(parts)] == parts:
                matched = len(parts)
                break
        if not matched and (folded[i] in firsts or folded[i] in lasts) and folded[i] not in _PRONOUNS:
            matched = 1
        if matched:
            toks = tokens[i : i + matched]
            last = toks[-1]
            out.append(
                Mention(
                    tok_start=i,
                    tok_end=i + matched,
                    start=toks[0].start,
                    end=last.end - 2 if last.possessive else last.end,
                    text=" ".join([t.text for t in toks[:-1]] + [last.base]),
                    possessive=last.possessive,
                    known=True,
                )
            )
            i += matched
        else:
            i += 1
    return out
