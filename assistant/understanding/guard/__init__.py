"""Untrusted-text guard: find the parts of an answer that talk to the assistant instead of answering.

Stakeholder answers, ingested documents and live transcripts are data. Text inside them that tries to
steer the assistant ("ignore previous instructions", fake system messages, "record X as accountable",
encoded or invisible payloads) is cut out before understanding runs and shown to the facilitator.

How it works, and why:
- Matching runs on a *normalised view* (NFKC, invisible characters dropped, Unicode tag characters
  decoded, mixed-script homoglyphs folded) so "ｉｇｎｏｒｅ", "ig<ZWSP>nore" and "іgnore" (Cyrillic і)
  match like "ignore". Every character of that view remembers its index in the original text, so what
  is quarantined and what is kept are cut from the *original* characters: `clean` stays an exact copy of
  the remaining answer (minus invisible format characters), and spans the understanding step takes
  from it stay exact substrings.
- The unit of quarantine is the sentence (or line) holding the steering phrase, so the rest of a mixed
  answer is still understood. Fake chat-template blocks are cut up to their end marker.
- Patterns are specific on purpose: a steering phrase must address the assistant or its records
  ("record Tom as the accountable owner", "your previous instructions"), not merely use a trap word
  ("I'll record the training sessions", "the system will be updated", "Assistant Superintendent").

The package, in the order a screen runs: `view` (the normalised view), `segments` (sentences), the phrase
rules (`rules_base` and the four `rules_*` sets), `directives` (the structural check), `markers` (fake
messages and blocks), `payloads` (encoded blobs), `detect` (all of them over one view) and `quarantine`
(`screen`: cut the findings out of the original text).
"""

from __future__ import annotations

from assistant.understanding.guard.quarantine import GuardResult, screen
from assistant.understanding.guard.view import normalise

__all__ = ["GuardResult", "normalise", "screen"]
