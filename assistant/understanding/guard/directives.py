"""A structural check beside the phrase rules: an order aimed at the assistant's records, or the
assistant spoken to by name and then given an order."""

from __future__ import annotations

import re

from assistant.understanding.guard.rules_base import ADDRESS, FLAGS, SET_ROLE, SET_STATUS

# An order aimed at the assistant's records needs
#   an imperative (the sentence opens with the verb, or "please ...", "you must ...", "should you ..."),
#   a record-keeping verb, and, in the same clause, a status ("covered", "done", "invalid") or a role
#   ("accountable", "the sponsor"), so "Please record that the team is worried" stays an answer.
_LEAD_IN = (
    r"(?:^\s*[\"'“‘(\[*\-–—•>]*\s*(?:(?:ok|okay|so|now|right|also|and|then|just|simply|please|kindly|pls)\s*,?\s+)*"
    r"|\b(?:please|kindly|pls|go ahead and|make sure (?:to|you)|be sure to|remember to|don't forget to)\s+"
    r"|\byou(?:\s*,\s*(?:the|our)\s+\w+(?:\s+\w+)?\s*,)?\s+(?:must|should|shall|will|need to|have to|are to|"
    r"are (?:instructed|required|ordered|expected|told|asked|obliged) to)\s+(?:now\s+|also\s+|immediately\s+)?"
    r"|\b(?:should|must|shall|will|would|can|could) you\s+(?:now\s+|please\s+|quietly\s+|just\s+)?"
    r"|\b(?:the|this)\s+(?:ai|assistant|bot|model|system|tool|kickoff)\s+(?:should|must|shall|will|needs to|has to|"
    r"is to|is required to)\s+(?:now\s+|also\s+)?)"
)
_RECORD_VERB = (
    r"(?:record|list|mark(?: down)?|flag|log|register|set|write(?: down)?|store|save|enter|put(?: down)?|classify|"
    r"categori[sz]e|tag|label|show|report)"
)
_SOFT_VERB = r"(?:treat|consider|count|declare|deem|drop|delete|remove|erase|approve|close|finish|invalidate|void)"
# The rest of the clause, stopping at words that start a condition ("treat it as final once signed").
_CLAUSE = r"(?:(?!\b(?:until|when|after|before|once|if|because|since|unless|while)\b)[^.;!?]){0,80}?"
_STATUS_ONLY = (
    r"(?:covered|done|finished|complete|completed|invalid|void|none|approved|final|closed|resolved|wrong|"
    r"irrelevant|obsolete|decided)"
)
_ROLE_STATUS = (
    r"(?:accountable|the (?:sole |only |real )?(?:owner|sponsor|accountable \w+)|training lead|metrics owner)"
)
_DIRECTIVE = re.compile(
    _LEAD_IN
    + r"(?P<verb>(?=\w))(?:"
    + _RECORD_VERB
    + r"\b"
    + _CLAUSE
    + r"\b(?:"
    + _STATUS_ONLY
    + r"|"
    + _ROLE_STATUS
    + r")\b|"
    + _SOFT_VERB
    + r"\b"
    + _CLAUSE
    + r"\b"
    + _STATUS_ONLY
    + r"\b)",
    FLAGS,
)
# Speaking to the assistant by name ("Dear Kickoff,", "Kickoff bot:", "You, the AI,", "whatever tool is
# summarising this") and then giving it an order or talking about its instructions. ("To the tool reading
# this:" needs no order after it; a rule in rules_orders quarantines it on its own.)
_VOCATIVE = re.compile(
    r"(?:(?:^|[.!?:;]\s+)[\"'“‘(\[*\-]*\s*(?:(?:dear|hey|hi|hello|ok|okay|attention|listen|yo)\s*,?\s+)?(?:the\s+)?"
    r"(?:kickoff(?: bot| assistant| ai)?|ai|a\.i\.|bot|chat ?bot|assistant|language model|llm|gpt|chatgpt|claude|"
    r"copilot)\s*[,:—–]"
    r"|\byou\s*,\s*(?:the|our|an?)\s+(?:ai|assistant|bot|chat ?bot|model|language model|tool|system)\s*,"
    r"|\b(?:whatever|whichever|any)\s+(?:tool|system|ai|bot|model|program|software|app|assistant)\s+(?:is\s+)?"
    r"(?:summari[sz]ing|reading|processing|recording|transcribing|listening to|parsing|analy[sz]ing|taking notes)\b)",
    FLAGS,
)
ORDER_WORDS = re.compile(
    r"\b(?:" + _RECORD_VERB + r"|" + _SOFT_VERB + r"|ignore|disregard|forget|override|obey|instructions?|orders|"
    r"directives?|commands?|prompt|rules|must|shall|are instructed|are required|you have new|stop asking|"
    r"skip|end the interview)\b",
    FLAGS,
)

_NOT_A_VERB = re.compile(
    r"\s*(?:['’]s\b|\s+(?:is|was|will|would|has|had|and|or|said|says|can|could|should|does|"
    r"did|runs|leads|owns|thinks|from|who|[A-Z]\w*)\b)"
)


def structural_reason(seg: str) -> str | None:
    d = _DIRECTIVE.search(seg)
    if d:
        word = re.match(r"\w+", seg[d.start("verb") :])
        # "Mark is the training lead", "Mark Taylor leads it": a name, not the verb.
        if word and word.group()[0].isupper() and _NOT_A_VERB.match(seg, word.end()):
            d = None
    if d:
        return SET_STATUS if re.search(r"\b" + _STATUS_ONLY + r"\b", seg, FLAGS) else SET_ROLE
    m = _VOCATIVE.search(seg)
    if m and ORDER_WORDS.search(seg, m.end()):
        return ADDRESS
    return None
