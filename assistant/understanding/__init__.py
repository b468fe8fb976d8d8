"""Understanding: from an utterance to a proposed Extraction (built-in or LLM), and the guard."""
