"""What the phrase rules are made of: the Rule type, the reasons shown to the facilitator, and the
regex fragments more than one rule set uses."""

from __future__ import annotations

import re
from dataclasses import dataclass

FLAGS = re.IGNORECASE | re.UNICODE

OVERRIDE = "tries to override the assistant's instructions"
FAKE_MSG = "fake system or assistant message"
SET_ROLE = "tries to set a charter role directly"
SET_STATUS = "tries to mark checklist items as covered"
CHARTER = "tries to change the charter directly"
ADDRESS = "gives orders to the AI"
PERSONA = "role-play or persona switch"
MODE = "tries to switch the assistant into a special mode"
LEAK = "asks for the system prompt or secrets"
EXFIL = "tries to send data elsewhere"
INTERNAL = "names the assistant's internal fields"
ENCODED = "asks to decode and follow an encoded payload"

# Words that name an AI, broadly ("bot", "model", "the assistant"): the rules that use them also need an order.
AI = (
    r"(?:ai|a\.i\.|llm|language model|chat ?bot|bot|gpt|chatgpt|claude|gemini|copilot|model|ai assistant|"
    r"(?:the|this|kickoff|virtual|digital) assistant)"
)
# An imperative addressed to the assistant: the sentence starts with the verb, or the verb follows
# "please", a colon, "you must", "I want you to"... ("We record Tom as..." is a statement, not an order.)
IMPERATIVE = (
    r"(?:^\s*[\"'“‘(\[*\-–—•>]*\s*|[:;,—–(]\s*|\b(?:please|pls|kindly|now|just|and|then|so|also|simply|"
    r"immediately|instead|finally|next|first)\s+|\b(?:you|the assistant|assistant|the ai|ai|the bot|bot)\s+"
    r"(?:must|should|will|shall|need to|needs to|has to|have to|are to|is to|is required to|are required to|"
    r"is instructed to|are instructed to)\s+(?:now\s+|also\s+|immediately\s+)?|"
    r"\b(?:you|assistant|the assistant|the ai) to\s+|\b(?:tell|ask|instruct|order|get|have)\s+(?:the\s+)?(?:system|"
    r"assistant|ai|bot|model|tool|kickoff)\s+to\s+|\b(?:make sure|be sure|remember|don't forget|do not forget|"
    r"go ahead and|proceed to|you're to|you are to)\s+(?:to\s+|you\s+)?)"
)


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    reason: str


def rule(pattern: str, reason: str) -> Rule:
    return Rule(re.compile(pattern, FLAGS), reason)
