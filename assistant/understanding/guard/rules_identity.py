"""Phrase rules for text that tries to switch the assistant into a special mode, persona or role-play, or
claims authority over it."""

from __future__ import annotations

from assistant.understanding.guard.rules_base import AI, MODE, PERSONA, Rule, rule

# A mode switched on for users ("admin mode enabled for all users") is a product setting, not a jailbreak.
_NOT_A_SETTING = r"(?!\s+(?:on|for|in)\s+(?:the|all|our|each|every|your)\b)"
_LIMITS = r"(?:restrictions|rules|limits|filters|guidelines|guardrails)"

IDENTITY_RULES: tuple[Rule, ...] = (
    # Claims of authority over the assistant
    rule(
        r"\bI(?:'m| am)\s+your\s+(?:developer|creator|admin|administrator|operator|owner|programmer|maker|"
        r"master|supervisor|designer|trainer)\b|"
        r"\bI\s+(?:hereby\s+)?(?:authori[sz]e|permit|allow|order|command|instruct)"
        r"\s+you\s+to\b|\b(?:authori[sz]ed|official|verified)\s+(?:instruction|message|command|directive|request)s?\s+"
        r"from\s+(?:the\s+)?(?:\S+\s+)?(?:developers?|admins?|"
        r"administrators?|operators?|openai|anthropic|vendor|system)",
        MODE,
    ),
    rule(
        r"\byou(?:'re| are) now\s+(?:in\s+(?:\w+\s+){0,2}mode\b|operating\s+|running\s+|acting\s+|playing\s+|"
        r"called\s+|named\s+|known as\s+|free\b|no longer\b|unrestricted|unfiltered|dan\b|jailbroken|"
        r"(?:an?|the|my|our)\s+(?:\w+\s+)?(?:ai|assistant|bot|agent|model|system|admin|administrator|"
        r"developer|root|superuser|servant|secretary|unrestricted|unfiltered|jailbroken|different|new|evil|"
        r"dan)\b)",
        MODE,
    ),
    rule(
        r"\byou(?:'re| are) no longer\s+(?:an?\s+|the\s+)?(?:bound|restricted|limited|required|an ai|ai\b|a bot|"
        r"assistant|kickoff|an assistant|the assistant|constrained|subject)",
        MODE,
    ),
    rule(
        r"\b(?:admin(?:istrator)?|developer|god|jailbreak|jailbroken|root|sudo|unrestricted|unfiltered|dan|"
        r"super ?user|privileged|override)\s+mode\s+(?:is\s+)?(?:now\s+)?(?:enabled|activated|engaged|unlocked|"
        r"granted|active)" + _NOT_A_SETTING,
        MODE,
    ),
    rule(
        r"\b(?:enter|enable|activate|switch (?:in)?to|engage|unlock|go into|turn on)\s+(?:the\s+)?"
        r"(?:god|jailbreak|dan|unrestricted|unfiltered|developer|admin)\s+mode\b" + _NOT_A_SETTING,
        MODE,
    ),
    rule(r"\b(?:jailbreak|jailbroken|do anything now|dan mode|god mode|unfiltered mode|unrestricted mode)\b", MODE),
    rule(
        r"\b(?:from now on|from this point (?:on|forward)|henceforth|for the rest of (?:this|the) "
        r"(?:conversation|session|interview|chat))\s*,?\s+(?:you (?:will |must |shall |should |are to )?"
        r"(?:respond|answer|reply|act|behave|ignore|disregard|obey|"
        r"comply|follow (?:my|these|only)|be (?:an?|the|my)\b|"
        r"refer to yourself|call yourself|pretend|speak|output|only (?:respond|answer|reply|output|follow)|"
        r"are (?:an?|the|my|no longer|free|unrestricted|in))|the assistant\b|respond\b|answer only\b|reply only\b)",
        MODE,
    ),
    rule(
        r"\byour (?:new|real|true|actual) (?:persona|identity|instructions?|directives?|programming|purpose)\b|"
        r"\byour (?:real|true|actual) (?:role|task|job|goal|objective|mission)\s+(?:is|are|will be|now)\b",
        PERSONA,
    ),
    rule(
        r"\b(?:system|admin|developer|safety|security)\s+override\s+(?:is\s+)?(?:now\s+)?(?:engaged|enabled|activated|"
        r"accepted|granted|in effect|active|confirmed)\b",
        MODE,
    ),
    rule(
        r"\byou(?:'re| are)\s+(?:an?|the)\s+(?:obedient|compliant|unrestricted|unfiltered|jailbroken|loyal|"
        r"submissive|uncensored)\s+(?:\w+\s+)?(?:assistant|ai|bot|"
        r"model)\b|\byou(?:'re| are)\s+(?:an?|the)\s+(?:\w+\s+)?"
        r"(?:assistant|ai|bot|chat ?bot|model)\s+now\b",
        MODE,
    ),
    rule(
        r"(?:^\s*|[.!?]\s+|\b(?:please|now|just)\s+)act\s+as\s+(?:my|our)\s+(?:proxy|representative|agent|"
        r"spokesperson|mouthpiece|lawyer|advocate|personal \w+)\b",
        PERSONA,
    ),
    rule(
        rf"\b(?:which|that|who)\s+(?:has|have)\s+no\s+{_LIMITS}\b|"
        rf"\b(?:an?\s+)?(?:ai|assistant|bot|model|version)\s+(?:with no|without(?: any)?)\s+{_LIMITS}\b",
        PERSONA,
    ),
    rule(r"\bforget\s+(?:that\s+)?you(?:'re| are)\s+(?:an?|the)\b", PERSONA),
    rule(r"\byou(?:'re| are)\s+(?:my|our)\s+(?:\w+\s+)?(?:assistant|ai|bot|servant|secretary|agent)\s+now\b", MODE),
    rule(
        r"\b(?:answer|respond|reply|speak|write|talk)\s+(?:in the voice of|"
        r"in the persona of|as if you were|as though you "
        r"were|in character as)\b",
        PERSONA,
    ),
    rule(
        r"\bpretend\s+(?:that\s+)?you(?:'re| are| were| can| have| don't| do not)\b|(?:^\s*|[.!?:]\s+|"
        r"\b(?:please|now|just|and)\s+)pretend\s+to\s+be\b",
        PERSONA,
    ),
    rule(
        r"\b(?:act|behave|respond|answer|reply|speak|role-?play|roleplay)\s+(?:as if|as though|like)\s+"
        r"you(?:'re| are| were| had| have)\s+(?:an?\s+|the\s+|no\b|not\b|free\b|unrestricted|unfiltered|my\b|"
        r"our\b)",
        PERSONA,
    ),
    rule(
        r"\b(?:act|behave|pose|role-?play|roleplay|respond|reply|answer|speak)\s+(?:as|like)\s+(?:an?|the|my|our)\s+"
        r"(?:\w+\s+)?(?:ai|assistant|chat ?bot|bot|model|language model|unrestricted|unfiltered|jailbroken|evil|"
        r"terminal|shell|interpreter|character|persona|dan|linux|hacker|pirate|villain)\b",
        PERSONA,
    ),
    rule(
        rf"\b(?:you|{AI})\s+(?:will|should|must|shall|are going to|are to|now|to)\s+(?:now\s+)?"
        r"(?:act|behave|role-?play|roleplay|pose|play the (?:role|part)|impersonate)\s+(?:as|like|of)\b",
        PERSONA,
    ),
    rule(
        r"\b(?:imagine|suppose|assume)\s+(?:that\s+)?you(?:'re| are)\s+(?:(?:an?|the)\s+)?(?:ai|assistant|"
        r"model|chat ?bot|bot|unrestricted|unfiltered|jailbroken|evil|different ai|free|no longer|not (?:an? )?"
        r"(?:ai|assistant|bound)|dan|admin|developer)\b",
        PERSONA,
    ),
    rule(
        r"\b(?:stay|remain|staying) in character\b|\b(?:roleplay|role-play|role play) (?:game|scenario) "
        r"(?:where|in which) you\b|\blet'?s play a game (?:where|in which) you\b",
        PERSONA,
    ),
    rule(
        r"\b(?:simulate|emulate|impersonate)\s+(?:an?\s+|the\s+)?(?:unrestricted|unfiltered|jailbroken|"
        r"different|evil|rogue|new)\s+(?:ai|assistant|model|bot|version)",
        PERSONA,
    ),
    # Other languages
    rule(
        r"\b(?:so tun|tu so|tun sie so),?\s+als\s+(?:ob\s+)?(?:wärst|"
        r"wären|wäre|du|sie)\b|\b(?:assistent|ki|bot)\s+ohne\s+"
        r"(?:regeln|einschränkungen)\b",
        PERSONA,
    ),
    rule(r"\b(?:tu es|vous êtes)\s+(?:maintenant|désormais)\s+en\s+mode\b", MODE),
    rule(
        r"\b(?:ahora (?:eres|estás en)|estás ahora en)\s+(?:el\s+)?modo\b|\b(?:activa|activar|activado)\s+(?:el\s+)?"
        r"modo\s+(?:desarrollador|administrador|dios)\b",
        MODE,
    ),
    rule(
        r"\bdu bist (?:jetzt|nun|ab sofort) im \w*modus\b|\b(?:entwickler|admin|administrator)modus\s+"
        r"(?:ist\s+)?(?:aktiviert|aktiv|an)\b",
        MODE,
    ),
)
