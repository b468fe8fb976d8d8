"""Phrase rules for text that gives the AI orders: speaking to it, asking for its prompt or secrets,
sending data elsewhere, or decoding and following a payload."""

from __future__ import annotations

from assistant.understanding.guard.rules_base import ADDRESS, AI, ENCODED, EXFIL, LEAK, Rule, rule

# Words that name an AI, strictly: "assistant", "model" and "bot" on their own are everyday words in a
# deployment ("our admin assistant", "the pricing model", "RPA bots").
_AI_STRICT = (
    r"(?:ai model|ai assistant|ai agent|ai|a\.i\.|llm|large language model|language model|chat ?bot|gpt|chatgpt|"
    r"claude|gemini|copilot|kickoff assistant|virtual assistant|digital assistant)s?"
    # ...and only when the word stands alone, not "the AI rollout" or "AI vendors".
    r"(?=\s*(?:[:,;.!?\-—)]|$|(?:reading|processing|parsing|summari[sz]ing|ingesting|analy[sz]ing|who|that|"
    r"which|here|please|you|system|tool|bot|model)\b))"
)
_ENCODED = (
    r"(?:the\s+|this\s+|these\s+|following\s+|below\s+|hidden\s+|decoded\s+)*"
    r"(?:base ?64|hex(?:adecimal)?|rot-?13|encoded|obfuscated|ciphered)"
)
_WHOLE = r"(?:full\s+|exact\s+|complete\s+|entire\s+)?"

ORDER_RULES: tuple[Rule, ...] = (
    rule(
        r"\b(?:show|print|reveal|give|tell|share|repeat|output|paste|display|send)\s+(?:me\s+|us\s+)?(?:the\s+)?"
        r"(?:\w+\s+){0,3}?(?:of\s+)?your\s+(?:instructions|prompts?|system prompt|rules|guidelines|configuration|"
        r"directives|programming|hidden \w+)\b",
        LEAK,
    ),
    rule(
        r"\b(?:respond|reply|answer|output|write)\s+only\s+(?:in|"
        r"with|as)\s+(?:json|yaml|xml|code|the word|a single word|"
        r"yes|ok|\"|')",
        ADDRESS,
    ),
    rule(
        r"\byour\s+(?:full\s+|entire\s+|exact\s+|complete\s+)?(?:initial|"
        r"original|system|hidden|secret|first|underlying|"
        r"developer)\s+(?:prompt|instructions|message|directives)\b",
        LEAK,
    ),
    rule(
        r"\bto\s+the\s+(?:software|tool|system|program|app|ai|bot|model|machine|assistant)\s+(?:that(?:'s| is)\s+)?"
        r"(?:reading|listening|taking notes|transcribing|recording|"
        r"watching)(?:\s+(?:along|in|this|to this))?\s*[,:—–]",
        ADDRESS,
    ),
    rule(
        r"\b(?:confirm|acknowledge)\s+(?:this\s+|that\s+|receipt\s+)?(?:by|with)\s+(?:writing|saying|replying|typing|"
        r"answering|outputting|printing|responding)\b",
        ADDRESS,
    ),
    rule(
        r"\b(?:note|message|instructions?|memo|notice)\s+(?:for|to)\s+(?:all\s+|any\s+)?(?:automated|automatic|ai|"
        r"machine)\s+(?:systems|tools|agents|assistants|readers|processors|models)\b",
        ADDRESS,
    ),
    rule(
        r"\b(?:output|print|show|reveal|repeat|dump|share|tell me|"
        r"give me|display|paste)\s+(?:me\s+|us\s+)?(?:the|your)\s+"
        r"(?:hidden|secret|initial|original|system|internal|private|"
        r"underlying)\s+(?:context|prompt|instructions|message|"
        r"data|notes|configuration|setup)\b|\b(?:context|prompt|"
        r"instructions|message)\s+you\s+(?:received|were given|got)\s+"
        r"(?:before|at the start|earlier|from (?:your|the) (?:developers?|operators?|system))\b",
        LEAK,
    ),
    rule(
        r"\byour\s+(?:next\s+|final\s+|only\s+)?(?:reply|response|"
        r"answer|output|message)\s+(?:should|must|will|shall)\s+"
        r"(?:only\s+)?(?:say|be|contain|read|consist|include)\b",
        ADDRESS,
    ),
    rule(
        rf"\bas (?:an?|the|our|this|my) {AI},?\s+you\s+(?:must|should|will|need|have to|are (?:required|"
        r"instructed|obligated|expected|supposed)|shall|cannot|can't|may not|ought)",
        ADDRESS,
    ),
    rule(
        rf"\b(?:note|message|memo|instructions?|reminder|directive|command|order|p\.?s\.?|attention|hey|hi|hello|"
        rf"dear|psst)\s*(?:to|for|,|:)?\s*(?:the\s+|any\s+|all\s+|every\s+|this\s+)?{_AI_STRICT}",
        ADDRESS,
    ),
    rule(
        r"\b(?:note|message|memo|instructions?|reminder|p\.?s\.?|attention)\s*(?:to|for)\s+(?:the\s+)?"
        r"(?:bot|assistant|model|machine|tool|system|ai)\s*[:,]",
        ADDRESS,
    ),
    rule(
        r"\b(?:whoever|whatever|anyone|anything|any (?:system|tool|program|software))\s+(?:is\s+)?(?:reading|parsing|"
        r"processing|summari[sz]ing|ingesting|analy[sz]ing)\s+(?:this|these)\b",
        ADDRESS,
    ),
    rule(
        r"\b(?:new|updated|another|one more|extra|additional|"
        r"special)\s+(?:rule|instruction|task|directive|order|command)s?"
        r"\s+for\s+you\b",
        ADDRESS,
    ),
    rule(
        r"\byour\s+(?:job|task|role|purpose|goal)\s+(?:now\s+)?is\s+(?:now\s+)?to\s+(?:agree|obey|do what|follow my|"
        r"listen|approve|confirm|sign off|record|mark|accept|ignore|say)\b",
        ADDRESS,
    ),
    rule(
        rf"\b(?:if|when|whenever)\s+(?:you(?:'re| are)|this is (?:being )?(?:read|processed|summari[sz]ed) by)\s+"
        rf"(?:an?\s+|the\s+)?{_AI_STRICT}",
        ADDRESS,
    ),
    rule(
        r"\b(?:any|all|every|each)\s+(?:ai|llm|language model|chat ?bot|bot|model|ai assistant|ai agent)s?\s+"
        r"(?:reading|processing|parsing|summari[sz]ing|analy[sz]ing|ingesting|that reads|that processes|"
        r"who reads)\s+(?:this|these|the (?:text|document|transcript|message|file|email|page|notes))\b",
        ADDRESS,
    ),
    rule(
        r"\b(?:ai|llm|language model|chat ?bot|ai assistant|ai agent|model)s?\s+(?:reading|processing|parsing|"
        r"summari[sz]ing|ingesting)\s+(?:this|these)\s+(?:text|document|transcript|message|file|email|page|"
        r"notes|minutes|words)\b",
        ADDRESS,
    ),
    rule(
        r"(?:^\s*|[.!?:;]\s+|\b(?:hey|ok|okay|so|now)\s*,?\s*)(?:assistant|ai|bot|model|llm|chatgpt|gpt|claude)\s*,\s*"
        r"(?:you\s+(?:must|should|will|need|have to|are)\b|please\s+(?:ignore|disregard|record|mark|set|update|"
        r"register|change|output|print|reveal)|(?:ignore|disregard|record|mark|set|update|register|print|reveal|"
        r"output|forget|override|obey|listen)\b)",
        ADDRESS,
    ),
    rule(
        r"\b(?:the|this)\s+(?:assistant|ai|bot|interviewer bot|kickoff assistant)\s+(?:must|shall|is (?:required|"
        r"instructed|ordered) to|has to|needs to|should now)\s+(?:now\s+)?(?:ignore|disregard|forget|obey|skip|"
        r"stop asking|accept|treat (?:this|the following|every|all)|trust)\b",
        ADDRESS,
    ),
    rule(
        r"\b(?:execute|follow|obey|carry out|act on|comply with)\s+" + _ENCODED + r"\b",
        ENCODED,
    ),
    rule(
        r"\brun\s+" + _ENCODED + r"\s+(?:instructions?|commands?|payload|orders?)\b",
        ENCODED,
    ),
    rule(r"\bdecode\b.{0,60}?\b(?:and|then)\s+(?:follow|execute|obey|do|apply|act on|carry out|comply)", ENCODED),
    rule(r"\b(?:base ?64|hex|rot-?13)[- ]encoded\s+(?:instructions?|commands?|orders?|directives?|payload)\b", ENCODED),
    rule(
        r"\b(?:print|reveal|show|display|output|repeat|recite|dump|leak|expose|tell me|give me|share|send|"
        r"write out|spell out|paste|provide|disclose|what (?:is|are|were)|what's)\s+(?:me\s+|us\s+)?(?:all\s+)?"
        rf"(?:of\s+)?(?:(?:your|the assistant's)\s+{_WHOLE}(?:system|initial|"
        r"original|hidden|secret|internal|developer|operator|underlying|base|first)\s+(?:prompts?|instructions?|"
        rf"messages?|rules|configuration|guidelines|directives)|the\s+{_WHOLE}"
        r"(?:system|initial|hidden|secret|developer|operator|underlying)\s+(?:prompts?|instructions?))",
        LEAK,
    ),
    rule(
        r"\b(?:print|reveal|show|display|output|repeat|recite|dump|leak|tell me|give me|disclose|"
        r"what (?:are|were))\s+(?:me\s+|us\s+)?(?:all\s+)?(?:of\s+)?your\s+(?:prompts?|instructions|rules|"
        r"guidelines|configuration|directives|programming)\b",
        LEAK,
    ),
    rule(
        r"\b(?:print|reveal|show|display|output|repeat|recite|dump|tell me|give me|paste|write out)\s+(?:me\s+|us\s+)?"
        r"(?:the|your)\s+(?:full\s+|exact\s+|complete\s+|entire\s+|original\s+|whole\s+)?(?:prompt|instructions|"
        r"rules|configuration|setup)\s+(?:you\s+(?:were|have been|"
        r"got|received)|(?:that\s+)?you\s+(?:follow|use|run on)|"
        r"above|at the start|before this)",
        LEAK,
    ),
    rule(
        r"\b(?:output|print|dump|reveal|show|display)\s+(?:me\s+|us\s+)?your\s+(?:configuration|config|settings|"
        r"setup|context|memory)\b",
        LEAK,
    ),
    rule(
        r"\b(?:repeat|print|output|echo|recite)\s+(?:back\s+)?(?:everything|all|the text|the words|the content|"
        r"all text|the message)\s+(?:above|before|that came before|preceding|verbatim)\b",
        LEAK,
    ),
    rule(
        r"\b(?:reveal|print|output|dump|leak|disclose|expose)\s+(?:me\s+|us\s+)?(?:all\s+)?(?:the\s+|your\s+|"
        r"any\s+)?(?:api[_ ]?keys?|secret keys?|access tokens?|credentials|passwords?|env(?:ironment)? "
        r"(?:vars|variables)|\.env)\b",
        LEAK,
    ),
    rule(
        r"\b(?:send|post|upload|forward|exfiltrate|transmit|leak|copy)\s+(?:\S+\s+){0,5}?"
        r"(?:conversation|transcript|chat history|system prompt|api keys?|secrets?|credentials|all (?:the )?data|"
        r"everything|interview notes|whole charter|full charter|state)\s+to\s+(?:https?://|this (?:url|"
        r"address|endpoint|server|link)|the (?:url|endpoint|webhook|server))",
        EXFIL,
    ),
    rule(r"!\[[^\]]*\]\(\s*https?://[^)\s]*(?:\?|\{|%7B)[^)]*\)", EXFIL),
    rule(
        r"\b(?:fetch|visit|call|load|open|curl|request|go to)\s+(?:the\s+)?(?:url|link|endpoint|webhook)?\s*"
        r"https?://\S+\s+(?:and|then)\s+(?:follow|obey|execute|apply|carry out)\b",
        EXFIL,
    ),
)
