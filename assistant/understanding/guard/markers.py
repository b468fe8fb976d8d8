"""Fake chat-template blocks, role markers, speaker labels and hidden comments: text that poses as a
message from the system or the assistant instead of being part of the answer."""

from __future__ import annotations

import re

from assistant.understanding.guard.rules_base import FLAGS

HTML_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)

# Tag names of the explicit blocks, as <system>...</system>, [SYSTEM]...[/SYSTEM] and ## SYSTEM ## ... ## END ##.
_TAGS = (
    r"(?:system|sys|assistant|instructions?|admin|developer|operator|prompt|system[_-]?prompt|override|hidden|"
    r"secret)"
)
_BRACKET_TAGS = r"(?:system|sys|admin|administrator|assistant|developer|operator|instructions?|override)"
_HASH_TAGS = r"(?:system|admin|instructions?|assistant|override|developer)"
_HASH_END = r"#{2,}\s*(?:end|/\w+)\s*#{2,}"
_BANNER = (
    r"[-=*#~]{2,}\s*(?:assistant|ai|system|admin|developer|operator)\s+(?:override|instructions?|mode|message|"
    r"prompt)\s*[-=*#~]{2,}"
)
_BANNER_END = r"[-=*#~]{2,}\s*end(?:\s+\w+){0,3}\s*[-=*#~]{2,}"
# "(begin|end) of the system prompt"
_BLOCK_NAME = (
    r"(?:of\s+)?(?:the\s+)?(?:system|hidden|secret|admin|developer|override|assistant|ai)\s+"
    r"(?:prompt|instructions?|message|override|block|mode)\b"
)
_MARKER_NOUN = r"(?:message|note|prompt|override|update|notice|instructions?|command|directive|mode)"

# Fake chat-template and role markers. They mark their sentence, or start a fake block.
MARKER = re.compile(
    r"<<\s*/?\s*(?:system|admin|override|instructions?|assistant)(?:\s+\w+)?\s*>>|"
    r"<\|(?:im_start|im_end|im_sep|system|assistant|user|endoftext|begin_of_text|end_of_text|start_header_id|"
    r"end_header_id|eot_id|eom_id|channel|message|start|end|tool)\|>"
    r"|\[/?(?:INST|SYS)\]|<</?SYS>>|<\s*/?\s*(?:" + _TAGS + r"|im_start|im_end)(?:\s[^<>]{0,80})?\s*>"
    r"|\[{1,2}\s*/?\s*(?:" + _BRACKET_TAGS + r"|root|prompt)(?:\s+" + _MARKER_NOUN + r")?\s*\]{1,2}"
    r"|\[{1,2}\s*(?:system|sys|admin|administrator|assistant|ai|developer|operator)(?:\s+" + _MARKER_NOUN + r")?\s*:"
    r"|" + _BANNER + r"|<\s*/\s*(?:answer|user|input|utterance|context|document|data|transcript|human|stakeholder|"
    r"question)\s*>"
    r"|^[ \t]*role[ \t]*:[ \t]*(?:system|assistant|developer)[ \t]*$"
    r"|\b(?:end|beginning|start)\s+of\s+(?:the\s+)?(?:user|"
    r"stakeholder|client|human)\s+(?:input|message|answer|turn|text)\b"
    r"|\bsystem\s+notice\s*[-—:]\s*(?=.{0,40}\b(?:previous|prior|instructions?|guidance|revoked|assistant|you)\b)"
    r"|\[\s*ai\s+(?:message|note|prompt|override|instructions?|command|directive)\s*\]"
    r"|\(\s*(?:system|admin|assistant)\s+(?:message|note|prompt|override|instructions?)\s*\)"
    r"|\{\{\s*(?:system|assistant|instructions?)\s*\}\}"
    r"|^[ \t]*#{1,6}[ \t]*(?:system|instruction|instructions|new instructions?|system prompt|system message|"
    r"assistant|response|admin|developer|override)[ \t]*:"
    r"|\b(?:begin|start|end)\s+" + _BLOCK_NAME + r"|#{2,}\s*(?:" + _HASH_TAGS + r"|end)\s*#{2,}"
    r"|\b(?:assistant|ai|bot|model|llm|kickoff)\s+(?:instructions?|directives?|orders|commands?)\s*:"
    r"|\b(?:(?:new|updated|real|hidden|secret|priority|urgent|important|official)\s+)?system\s+"
    r"(?:message|instruction|directive|override|prompt|command)s?\s*[:\-—]"
    r"|\b(?:admin|administrator|developer|operator|root)\s+(?:override|instruction|directive|command)s?\s*[:\-—]",
    FLAGS | re.MULTILINE,
)

# "System:" / "Assistant:" speaker labels at the start of a line or sentence.
LABEL = re.compile(
    r"(?:^|(?<=[.!?]\s))[ \t>*_\-\"']*(?P<label>system|assistant|ai assistant|kickoff assistant|ai|chatgpt|gpt|"
    r"model|bot|llm|sys|developer|operator)[ \t]*(?:\([^)\n]{0,30}\))?[ \t]*:",
    FLAGS | re.MULTILINE,
)
# Labels that are only ever a chat turn; the others ("System: Epic EHR on Azure", "Assistant: Grace Kim"
# in a document) need the text after them to talk to or as the assistant.
ALWAYS_LABELS = frozenset({"ai assistant", "kickoff assistant", "chatgpt", "gpt", "llm"})
LABEL_TALK = re.compile(
    r"\b(?:you|your|the assistant|instructions?|ignore|disregard|override|mode|from now on|charter|checklist|"
    r"covered|accountable|prompt|directive|command|enabled|granted|i will|i'll|i have|i've|i am|i'm|"
    r"acknowledged|understood)\b",
    FLAGS,
)
# Markers that close a block; a closing marker alone on its line does not start a new one.
CLOSER = re.compile(
    _HASH_END + r"|" + _BANNER_END + r"|<\|(?:im_end|eot_id|eom_id|endoftext|end_of_text|end_header_id|"
    r"end)\|>|\[{1,2}\s*/|<</SYS>>|<\s*/|<<\s*end\s*>>|"
    r"^\s*end\b",
    FLAGS,
)
# Opening and closing markers of the explicit blocks, so a fake block is cut up to its end.
BLOCK_PAIRS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = (
    (re.compile(r"<\|im_start\|>", FLAGS), re.compile(r"<\|im_end\|>|<\|endoftext\|>", FLAGS)),
    (re.compile(r"<\|start_header_id\|>", FLAGS), re.compile(r"<\|eot_id\|>", FLAGS)),
    (re.compile(r"\[INST\]", FLAGS), re.compile(r"\[/INST\]", FLAGS)),
    (re.compile(r"<<SYS>>", FLAGS), re.compile(r"<</SYS>>", FLAGS)),
    (re.compile(rf"<\s*{_TAGS}(?:\s[^<>]{{0,80}})?\s*>", FLAGS), re.compile(rf"<\s*/\s*{_TAGS}\s*>", FLAGS)),
    (re.compile(r"\b(?:begin|start)\s+" + _BLOCK_NAME, FLAGS), re.compile(r"\bend\s+" + _BLOCK_NAME, FLAGS)),
    (
        re.compile(r"\[{1,2}\s*" + _BRACKET_TAGS + r"\s*\]{1,2}", FLAGS),
        re.compile(r"\[{1,2}\s*/\s*" + _BRACKET_TAGS + r"\s*\]{1,2}", FLAGS),
    ),
    (re.compile(_BANNER, FLAGS), re.compile(_BANNER_END, FLAGS)),
    (re.compile(r"#{2,}\s*" + _HASH_TAGS + r"\s*#{2,}", FLAGS), re.compile(_HASH_END, FLAGS)),
)

# A fake block with no end marker runs to a blank line, a heading, or the next speaker's turn.
_BLOCK_STOP = re.compile(
    r"\n[ \t]*\n|\n(?=[ \t]*#{1,6}\s)|\n(?=[ \t]*(?:user|human|stakeholder|client|me|answer|real answer|reply)"
    r"[ \t]*:)",
    re.IGNORECASE,
)
# Where a fake chat turn written on one line hands over to another speaker ("... Stakeholder: great").
NEXT_SPEAKER = re.compile(
    r"(?<=[.!?]\s)[ \t]*(?:(?i:user|human|stakeholder|client|interviewer|facilitator|customer)|"
    r"[A-Z][a-z]+ [A-Z][a-z]+)[ \t]*:"
)


def block_end(view: str, pos: int) -> int:
    m = _BLOCK_STOP.search(view, pos)
    return len(view) if m is None else m.start()
