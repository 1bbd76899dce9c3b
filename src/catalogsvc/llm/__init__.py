"""The OpenAI-compatible language model client, its JSON requests and its prompts."""
