"""Phrase rules for text that tries to write the assistant's records directly: set a charter role, mark
checklist items covered, edit the charter, or name internal fields."""

from __future__ import annotations

from assistant.understanding.guard.rules_base import CHARTER, IMPERATIVE, INTERNAL, SET_ROLE, SET_STATUS, Rule, rule

_ROLE_WORDS = (
    r"(?:(?:the|an?|our|sole|single|only|new|primary|main|final|official)\s+)*"
    r"(?:accountable|accountable (?:owner|party|person|lead)|owner|project owner|responsible|"
    r"(?:executive )?sponsor|training lead|communications? lead|metrics owner|project manager|"
    r"technical lead|tech lead|decision[- ]maker|main contact|primary (?:point of )?contact|"
    r"point of contact|raci ['\"]?a['\"]?)"
)
# Charter role fields as named when setting them directly ("set the owner field to ...").
_ROLE_FIELD = (
    r"(?:accountable(?: owner| party| person)?|owner|sponsor|training lead|communications? lead|metrics owner)"
)
_STATUS_WORDS = r"(?:covered|complete|completed|done|answered|resolved|decided|closed|green|satisfied|checked|ticked)"

RECORD_RULES: tuple[Rule, ...] = (
    rule(
        r"\b(?:pretend|imagine|assume|suppose|let's say)\s+(?:that\s+)?(?:the\s+|"
        r"all\s+|every\s+)?(?:checklist|charter|"
        r"interview|items?|questions?|risks?|gaps?)\s+(?:\w+\s+)?(?:is|"
        r"are|has been|have been|were|was)\s+(?:already\s+|all\s+)?"
        r"(?:finished|done|covered|complete|completed|approved|resolved|closed|gone|none)\b",
        SET_STATUS,
    ),
    rule(
        r"\b(?:under no circumstances|never|in no case)\s+(?:should|"
        r"must|may|will|can)\s+you\s+(?:record|flag|raise|list|"
        r"mention|report|log|include)\b",
        CHARTER,
    ),
    rule(
        r"\b(?:change|edit|alter|rewrite|fix|adjust|tweak|doctor|"
        r"make)\s+(?:\w+\s+){0,2}?(?:the|your|this)\s+(?:charter|report|"
        r"summary|assessment|risk list)\s+(?:so|to say|to show|to read|so that)\b",
        CHARTER,
    ),
    rule(
        r"\b(?:leave out|omit|hide|drop|delete|remove|suppress|"
        r"strike|skip)\s+(?:the\s+)?(?:part|risk|flag|line|section|"
        r"bit|gap|warning|mention|note)s?\s+(?:about|on|saying|that says)\b",
        CHARTER,
    ),
    rule(
        r"\b(?:your summary|the summary|the report|the charter|"
        r"your report)\s+(?:says|shows|reads|states|lists)\s+so\b|"
        r"\bmake sure\s+(?:your|the)\s+(?:summary|report|"
        r"charter|notes)\s+(?:says|shows|reads|states|lists)\b",
        CHARTER,
    ),
    rule(
        r"\b(?:accountable|owner|sponsor|training lead|metrics owner|"
        r"communications lead)\s+(?:field|value|entry|slot)\b|"
        r"\b(?:with\s+)?(?:accountable|owner|sponsor|training lead|"
        r"metrics owner)\s+(?:set|changed|switched)\s+to\b",
        SET_ROLE,
    ),
    rule(
        r"\b(?:behave|act|proceed|continue|carry on|respond)\s+as\s+(?:though|if)\s+(?:the\s+)?(?:\w+\s+){0,3}?"
        r"(?:question|item|topic|checklist|interview|section|"
        r"roles?)s?\s+(?:was|were|is|are|had been|has been|have been)\s+"
        r"(?:already\s+|all\s+)?(?:answered|covered|done|complete|completed|settled|filled|resolved)\b",
        SET_STATUS,
    ),
    rule(
        r"\b(?:assign|give|hand|allocate)\s+(?:every|all|each|"
        r"the remaining|any|all the)\s+(?:open\s+|remaining\s+|missing\s+|"
        r"unfilled\s+|empty\s+)?(?:roles?|positions|items|slots)\s+to\b",
        SET_ROLE,
    ),
    rule(
        r"\b(?:generate|write|produce|create|make|output|draft)\s+(?:a|"
        r"the|your)\s+(?:charter|report|summary)\s+(?:that|which)"
        r"\s+(?:says|shows|states|lists|reads)\s+(?:that\s+)?(?:everything|"
        r"all|no\b|nothing|it'?s fine|the project is)",
        CHARTER,
    ),
    rule(
        r"\b(?:omit|leave out|exclude|hide|skip|suppress|drop|remove|"
        r"(?:do not|don't|never) (?:mention|include|report))\s+"
        r"(?:any|all|every)?\s*(?:mention|reference|note|record|"
        r"trace)?s?\s*(?:of\s+)?(?:the\s+)?(?:staff\s+|user\s+|team\s+)?"
        r"(?:resistance|risks?|concerns|gaps|pushback|missing (?:roles?|owners?|\w+ owner))\b",
        CHARTER,
    ),
    rule(
        r"\b(?:the\s+)?(?:kickoff\s+)?(?:tool|assistant|ai|bot|kickoff)\s+(?:must|should|shall|may)\s*(?:not|never)\s+"
        r"(?:mention|include|report|flag|list|record|show|"
        r"raise)\b[^.;!?]{0,60}\b(?:missing|risks?|gaps?|concerns|resistance|"
        r"owner|roles?|accountab\w*)\b",
        CHARTER,
    ),
    rule(
        IMPERATIVE + r"(?:record|set(?!\s+\S+\s+up\b)|mark|register|log|enter|save|store|flag|override|overwrite|"
        r"rewrite|update|change)\s+(?:\S+\s+){0,5}?(?:as|to be|=)\s*" + _ROLE_WORDS + r"\b",
        SET_ROLE,
    ),
    rule(
        rf"\b(?:set|overwrite)\s+(?:the\s+)?{_ROLE_FIELD}\s+(?:field\s+|role\s+|value\s+)?(?:to|=|:)\s",
        SET_ROLE,
    ),
    rule(
        rf"\b(?:change|update|edit|fill|fill in)\s+(?:the\s+)?{_ROLE_FIELD}\s+(?:field|value|entry|slot)\s+"
        r"(?:to|with|=|:)",
        SET_ROLE,
    ),
    rule(
        rf"\b(?:{_ROLE_FIELD}|project manager|technical lead|risks|status|coverage)\s*(?:==?|:=)\s*\S",
        SET_ROLE,
    ),
    rule(
        r"\b(?:the\s+)?(?:accountable owner|accountable party|owner field|accountable field|training lead|"
        r"metrics owner)\s+(?:must|should|shall|has to|needs to)\s+(?:now\s+)?be\s+(?:recorded|set|"
        r"registered|listed|logged|changed|updated|marked|stored|entered)\s+(?:as|to)\b",
        SET_ROLE,
    ),
    rule(
        IMPERATIVE + r"(?:mark|set|flag|record|register|treat|consider|log|update|change|tick|check off)\s+(?:off\s+)?"
        r"(?:all|every|each|the (?:whole|entire|full|remaining)|the rest of the|any|remaining)\s+(?:of\s+)?"
        r"(?:the\s+|your\s+|my\s+)?(?:remaining\s+|open\s+|other\s+)?(?:checklist\s+|kickoff\s+)?(?:items?|"
        r"questions?|topics?|sections?|boxes|checkboxes|points|checklists?|requirements|gaps)\b(?:\s+\w+){0,4}?\s+"
        r"(?:(?:as|to)\s+)?(?:be\s+)?(?:fully\s+|already\s+)?" + _STATUS_WORDS,
        SET_STATUS,
    ),
    rule(
        r"\b(?:all|every|each)\s+(?:remaining\s+)?(?:checklist|kickoff)\s+(?:items?|questions?|topics?|boxes)\s+"
        r"(?:are|is|should be|must be|have been|has been|will be|shall be)\s+(?:now\s+|already\s+|marked\s+|"
        r"considered\s+|recorded\s+|treated\s+|as\s+)*" + _STATUS_WORDS,
        SET_STATUS,
    ),
    rule(
        r"\b(?:mark|set|flag|record|treat|consider|log)\s+(?:the\s+)?(?:checklist|kickoff checklist|"
        r"whole checklist|entire checklist|interview)\s+(?:as\s+)?" + _STATUS_WORDS,
        SET_STATUS,
    ),
    rule(
        IMPERATIVE + r"(?:mark|set|flag|record|register|log|treat|consider)\s+(?:the\s+)?(?:accountability|roles|scope|"
        r"communication|training|monitoring|collaboration)\s+(?:item|section|topic|box|question)s?\s+as\s+"
        + _STATUS_WORDS,
        SET_STATUS,
    ),
    rule(
        r"\b(?:clear|remove|delete|drop|suppress|hide|dismiss|erase|strike)\s+(?:all\s+|every\s+|any\s+|the\s+)*"
        r"(?:risk\s+)?(?:flags|risks|gaps|warnings|missing roles|open items)\s+(?:from|in|on)\s+(?:the|your)\s+"
        r"(?:accountability\s+)?(?:charter|report|assessment|summary)\b",
        CHARTER,
    ),
    rule(
        IMPERATIVE + r"(?:do not|don't|never)\s+(?:flag|raise|report|record|list|mention)\s+(?:any\s+)?(?:risks?|gaps|"
        r"missing roles|open items|concerns)\b",
        CHARTER,
    ),
    rule(
        r"\b(?:update|change|modify|edit|rewrite|amend|alter|overwrite|replace)\s+(?:the|your|this)\s+"
        r"(?:accountability\s+|kickoff\s+)?charter\s+(?:to\b|so (?:that|it)\b|and (?:set|mark|record|list|remove|"
        r"add|make)\b|with (?:the following|these|this)\b|:)",
        CHARTER,
    ),
    rule(
        r"\b(?:the\s+)?charter\s+(?:must|should|shall|needs? to|has to)\s+(?:now\s+)?(?:say|state|list|show|read|"
        r"record|name|display)\b.{0,60}?(?:\bas\s+"
        + _ROLE_WORDS
        + r"\b|\b"
        + _STATUS_WORDS
        + r"\b|\bno (?:risks|gaps|open items)\b)",
        CHARTER,
    ),
    rule(
        r"\b(?:write|insert|add|put)\s+(?:\S+\s+){0,6}?(?:in|into|to|on)\s+the\s+charter\s+as\s+(?:the\s+)?"
        r"(?:accountable|owner|sponsor|lead|training lead|metrics owner)",
        CHARTER,
    ),
    rule(
        r"\b(?:accountable_owner|training_lead|communications_lead|metrics_owner|executive_sponsor|"
        r"project_manager|technical_lead|not_discussed|lack_of_ownership|decision_ambiguity|poor_adoption|"
        r"resistance_to_change|dont_know)\b",
        INTERNAL,
    ),
    rule(r"\{\s*\"(?:assignments|facts|role|person|status|accountable|quarantined|risks|coverage)\"\s*:", INTERNAL),
    # Other languages
    rule(
        r"\b(?:indique[zr]?|note[zr]?|marque[zr]?|écri[st]|"
        r"écrivez)\s+que\s+tout\s+est\s+(?:couvert|terminé|validé|complet)|"
        r"\bne\s+(?:pose|posez)\s+plus\s+de\s+questions\b",
        SET_STATUS,
    ),
    rule(
        r"\b(?:marque[zr]?|coche[zr]?)\s+(?:tous|toutes|chaque)\s+(?:les\s+)?(?:éléments|points|items|questions)"
        r"\s+comme\s+(?:couverts?|traités?|terminés?|complets?)",
        SET_STATUS,
    ),
    rule(
        r"\b(?:marca|marque|marcar)\s+(?:todos|todas|cada)\s+(?:los\s+|las\s+)?(?:elementos|puntos|ítems|items|"
        r"preguntas)\s+como\s+(?:cubiertos?|completados?|resueltos?)",
        SET_STATUS,
    ),
    rule(
        r"\b(?:registr(?:a|e|ar|ez|ieren sie)|enregistre[zr]?|inscri(?:s|vez)|trage|tragen sie)\s+(?:\S+\s+){1,4}?"
        r"(?:como|comme|als)\s+(?:el\s+|la\s+|le\s+|l'|der\s+|die\s+)?(?:responsable|propietari[oa]|"
        r"verantwortliche[rn]?|accountable)",
        SET_ROLE,
    ),
)
