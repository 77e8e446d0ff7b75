"""The extraction queue's defaults, apart from the server's modules: `sitrep serve`'s options
show them in every command's argument parser, which must not import FastAPI to build."""
DEFAULT_CAPACITY = 8          # articles waiting, beyond the one being extracted
DEFAULT_TIMEOUT = 60.0        # seconds from arrival to answer, waiting included
DEFAULT_MAX_CHARS = 100_000   # about 15,000 words: far more than a news article, far below the body limit
