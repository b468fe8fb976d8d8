"""Phrase rules for text that tries to override the assistant's instructions or discount others' answers."""

from __future__ import annotations

from assistant.understanding.guard.rules_base import AI, IMPERATIVE, OVERRIDE, Rule, rule

# Modifiers that point back at the assistant's own instructions (not "the old rules in the binder").
_PREV = (
    r"(?:previous|prior|above|earlier|preceding|foregoing|former|original|initial|system|developer|operator|"
    r"hidden|built-in|default|safety)"
)
_INSTR = (
    r"(?:instructions?|prompts?|rules|directions|directives|guidelines|guidance|context|messages?|constraints|"
    r"programming|orders|commands|polic(?:y|ies)|guardrails|restrictions|system prompt)"
)
_INSTR_NARROW = r"(?:instructions?|prompts?|directives|guidelines|rules|commands|orders|programming)"
_OVERRIDE_VERB = r"(?:ignore|disregard|forget|override|bypass|discard|neglect|abandon|nullify|void)"

OVERRIDE_RULES: tuple[Rule, ...] = (
    rule(
        rf"\b{_OVERRIDE_VERB}\s+(?:(?:all|any|every|each|of|the|these|those|its|their)\s+){{0,3}}"
        rf"(?:your\s+|{_PREV}\s+)(?:(?:{_PREV}|and|or|,)\s*)*{_INSTR}\b",
        OVERRIDE,
    ),
    rule(
        rf"\b{_OVERRIDE_VERB}\s+(?:(?:all|any|every|each|of|the|these|those)\s+){{0,3}}{_INSTR}\s+"
        r"(?:above|before (?:this|now)|given (?:to you|before|above|earlier)|you(?:'ve| have| were|'re| are)\s+"
        r"(?:been\s+)?(?:given|told|following|programmed)|so far|until now|up to now|"
        r"in (?:this|the) (?:conversation|chat|session|prompt))",
        OVERRIDE,
    ),
    rule(IMPERATIVE + rf"{_OVERRIDE_VERB}\s+(?:all|any)\s+(?:(?:the|of the|your)\s+)?{_INSTR_NARROW}\b", OVERRIDE),
    rule(
        r"\b(?:ignore|disregard|forget)\s+(?:all\s+|everything\s+|anything\s+|whatever\s+|what\s+|the text\s+|"
        r"the content\s+|the messages?\s+|the\s+)?(?:above(?=\s*(?:$|[.,;:!?)\]\"'”]|and\b|text\b|messages?\b|"
        r"content\b|lines?\b|instructions?\b|prompt\b))|(?:before|prior to) (?:this|now)\b|you(?:'ve| have| had)\s+"
        r"been (?:told|given|instructed|programmed)|you were (?:told|given|instructed|programmed)|"
        r"your (?:training|programming|guidelines|rules|instructions|script)|the interview script)",
        OVERRIDE,
    ),
    rule(
        rf"\b(?:do not|don't|never|stop)\s+(?:follow|obey|apply|using|following|obeying)\s+(?:your|the|any)\s+"
        rf"(?:(?:{_PREV}|own)\s+)*{_INSTR}",
        OVERRIDE,
    ),
    rule(
        r"\b(?:real|true|actual|secret|hidden|priority|override|overriding|updated system|new system)\s+"
        r"(?:instructions?|directives?|commands?|orders|system prompt)\s*(?::|—|-|follow\b|are\b)",
        OVERRIDE,
    ),
    rule(
        rf"\b(?:new|updated|additional|hidden|secret|important|priority|urgent)\s+(?:system\s+)?"
        rf"(?:instructions?|directives?|orders?|commands?|task)\s+(?:for|to)\s+(?:the\s+|you,?\s+)?{AI}\b",
        OVERRIDE,
    ),
    rule(
        r"\b(?:these|the following|this)\s+(?:instructions?|directives?|rules|message|note)\s+(?:override|"
        r"supersedes?|replaces?|takes? precedence|ha(?:ve|s) (?:higher )?priority)\b",
        OVERRIDE,
    ),
    rule(
        rf"\b(?:supersedes?|overrides?|replaces?|takes? precedence over)\s+(?:all\s+|any\s+)?(?:of\s+)?"
        rf"(?:your\s+|the\s+)?(?:{_PREV}\s+)?{_INSTR_NARROW}",
        OVERRIDE,
    ),
    rule(
        rf"\b(?:(?:all|any|the|your)\s+)?(?:{_PREV}\s+|your\s+)+(?:{_INSTR}|"
        rf"guidance|setup)\s+(?:are\s+|is\s+|have been\s+|"
        r"has been\s+|were\s+|was\s+)?(?:now\s+)?(?:revoked|void|voided|cancell?ed|obsolete|null|invalid|superseded|"
        r"replaced|suspended|lifted|overridden|disabled|no longer (?:apply|applies|valid|in effect|active))\b",
        OVERRIDE,
    ),
    rule(
        r"\byour\s+(?:instructions|rules|guidelines|directives|prompt|orders|programming)\s+(?:have|has)\s+"
        r"(?:been\s+)?(?:changed|updated|replaced|revoked|expired)\b",
        OVERRIDE,
    ),
    rule(
        r"\b(?:erase|delete|remove|discard|forget|ignore|disregard|"
        r"overwrite|drop|void)\s+(?:what|everything|anything|all)"
        r"\s+(?:that\s+)?(?!I\b|i\b|we\b)(?:\w+\s+){1,3}?(?:said|told you|answered|stated|wrote|claimed)\b",
        OVERRIDE,
    ),
    rule(
        r"\b(?:ignore|disregard|discard|skip|drop|"
        r"void)\s+(?:all\s+)?(?:the\s+)?(?:other|previous|earlier|prior|rest of the)\s+"
        r"(?:interviews|answers|stakeholders|speakers|responses|statements|people's answers)\b",
        OVERRIDE,
    ),
    rule(
        r"\bonly\s+my\s+(?:answers|words|statements|input|responses)\s+(?:count|matter|are valid|should count)\b",
        OVERRIDE,
    ),
    rule(
        r"\b(?:reset|wipe|clear|erase|delete)\s+(?:the|your|this)\s+(?:interview|conversation|chat|session|kickoff)\s+"
        r"(?:state|history|memory|records|answers|data)\b|\b(?:reset|"
        r"wipe|clear|erase)\s+your\s+(?:memory|state|context|"
        r"history|instructions)\b|\bstart over with me as\b",
        OVERRIDE,
    ),
    rule(
        r"\b(?:ignore|disregard|discard|forget(?: about)?|override|"
        r"bypass|drop|skip|abandon|turn off|switch off|disable)\s+"
        r"(?:all\s+|any\s+|the\s+)?(?:whatever\s+|"
        r"your\s+)(?:own\s+)?(?:programming|safety (?:checks|rules|filters)|checks|"
        r"checklist|guardrails|filters|restrictions|setup|script|"
        r"questions|guidance|instructions|rules|prompt|training|"
        r"directives|limits|constraints|policies|configuration)\b",
        OVERRIDE,
    ),
    rule(
        r"\b(?:guidance|instructions|questions|rules|prompt|directives|"
        r"script)\s+you\s+(?:started with|were (?:programmed|"
        r"given|trained|built|set up|configured)(?: with)?|(?:have|"
        r"had) been (?:given|programmed with)|came with|got at the start)\b",
        OVERRIDE,
    ),
    rule(
        r"\b(?:your|the assistant's)\s+(?:programming|instructions|rules|guidelines|prompt|setup|configuration)\s+"
        r"(?:says?|tells? you|requires?|is|are)\b[^.;!?]{0,60}\b(?:but|however|yet)\b",
        OVERRIDE,
    ),
    rule(
        r"\b(?:overwrite|replace|delete|erase|discard|ignore|disregard|"
        r"remove|drop|void|cancel)\s+(?:\w+['’]s|the other\s+\w+['’]?s?|"
        r"their|his|her|everyone else's|all other)\s+(?:answers?|"
        r"statements?|input|responses?|claims?|words)\b",
        OVERRIDE,
    ),
    rule(
        r"\b(?:real|actual|true|proper|new)\s+instructions\s+(?:start|begin|follow|are below|come next|now)\b|"
        r"\b(?:the\s+)?(?:preceding|previous|above|earlier)\s+(?:conversation|"
        r"instructions|text|messages?|interview|prompt)\s+"
        r"(?:was|were|is|are)\s+(?:just\s+|only\s+)?(?:a test|fake|void|not real|a joke|a drill|invalid)\b",
        OVERRIDE,
    ),
    rule(
        r"\b(?:priority|urgent|official|mandatory|binding|top-priority)\s+(?:directive|instruction|order|command)s?\s+"
        r"(?:from|for|to)\b",
        OVERRIDE,
    ),
    rule(
        r"\b(?:overrides?|supersedes?|replaces?|trumps|"
        r"takes? precedence over|take priority over|takes? priority over)\s+"
        r"(?:all\s+|the rest of\s+|the other\s+|everyone else's\s+|"
        r"any other\s+)?(?:the\s+)?(?:other\s+)?(?:interviews|"
        r"answers|stakeholders|statements|responses|speakers|others)\b",
        OVERRIDE,
    ),
    rule(r"\b(?:new|updated|urgent|priority)\s+directive\s*:", OVERRIDE),
    rule(
        r"\b(?:answers|input|statements|words|responses)\s+(?:take|takes|have|has)\s+(?:priority|precedence)\s+over\b",
        OVERRIDE,
    ),
    rule(
        r"\byour\s+(?:guidelines|instructions|rules|prompt|programming|training|directives|setup|configuration)\s+"
        r"(?:are|is)\s+(?:now\s+)?(?:outdated|out of date|wrong|obsolete|old|deprecated|superseded|incorrect|invalid|"
        r"cancelled|void)\b",
        OVERRIDE,
    ),
    rule(
        r"\b(?:you can|you may|you should|please|just|go ahead and)\s+(?:drop|"
        r"ignore|forget|skip|waive|relax|suspend|bend|"
        r"break)\s+(?:the|your)\s+(?:rule|requirement|check|policy|constraint)s?\b",
        OVERRIDE,
    ),
    rule(
        r"\b(?:set aside|put aside|suspend|bypass|abandon|"
        r"drop)\s+your\s+(?:normal\s+|usual\s+|standard\s+|regular\s+)?"
        r"(?:process|procedure|rules|checks|questions|method|approach|protocol|script)\b",
        OVERRIDE,
    ),
    # Other languages
    rule(
        r"\b(?:ignore[zr]?|oublie[zr]?)\s+(?:toutes?\s+)?(?:les\s+|vos\s+|tes\s+)?(?:instructions|consignes|"
        r"directives|règles)\s+(?:précédentes|antérieures|ci-dessus|d'avant|données)",
        OVERRIDE,
    ),
    rule(
        r"\b(?:oublie[zr]?|ignore[zr]?)\s+tout\s+(?:ce qui précède|"
        r"ce qu'on t'a dit|ce que l'on vous a dit)",
        OVERRIDE,
    ),
    rule(
        r"\b(?:ignora|ignore|ignorar|olvida|olvide|olvidar)\s+(?:todas?\s+)?(?:las\s+|tus\s+|sus\s+)?"
        r"(?:instrucciones|indicaciones|órdenes|reglas)\s+(?:anteriores|previas|de arriba|dadas)",
        OVERRIDE,
    ),
    rule(r"\bignor(?:a|e|are)\s+(?:tutte\s+)?(?:le\s+)?(?:istruzioni|indicazioni)\s+(?:precedenti|sopra)", OVERRIDE),
    rule(
        r"\bignor(?:e|a|ar)\s+(?:todas\s+)?(?:as\s+)?(?:instruções|instrucoes|orientações)\s+(?:anteriores|"
        r"acima)",
        OVERRIDE,
    ),
    rule(
        r"\b(?:ignorier(?:e|en sie)?|vergiss|vergessen sie)\s+(?:bitte\s+)?(?:alle\s+|alles\s+)?(?:vorherigen\s+|"
        r"bisherigen\s+|obigen\s+|früheren\s+)(?:anweisungen|instruktionen|befehle|regeln|vorgaben)",
        OVERRIDE,
    ),
    rule(r"\bnegeer\s+(?:alle\s+)?(?:vorige|eerdere|bovenstaande)\s+(?:instructies|opdrachten)", OVERRIDE),
    rule(
        r"(?:忽略|无视|忽视|不要理会)(?:之前|以上|先前|上面|前面|所有)(?:的)?(?:所有)?(?:的)?"
        r"(?:指令|指示|说明|规则|提示)",
        OVERRIDE,
    ),
    rule(r"(?:以前|前|上記|これまで)の(?:指示|命令|指令|ルール)を(?:すべて|全て)?無視", OVERRIDE),
    rule(r"игнорируй(?:те)?\s+(?:все\s+)?(?:предыдущие|прошлые)\s+(?:инструкции|указания)", OVERRIDE),
)
