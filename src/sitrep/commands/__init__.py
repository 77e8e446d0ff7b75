"""Subcommands of `sitrep` for the database stages. Each module defines
`register(subparsers)`, adding its commands with `set_defaults(func=handler)` where
`handler(args, out, err) -> int` is the exit code."""
