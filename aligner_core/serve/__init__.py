"""``wordsync serve``: alignment and transcription over a local HTTP API (optional extra ``serve``).

:mod:`.app` (routes), :mod:`.jobs` (jobs mirrored to disk), :mod:`.work` (what the worker
threads do), :mod:`.shapes` (Gentle's and OpenAI's JSON), :mod:`.cli` (the command). Only
:mod:`.app` and :mod:`.cli` need FastAPI and uvicorn; the rest is plain core.
"""
