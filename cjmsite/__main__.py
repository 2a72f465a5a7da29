"""`python -m cjmsite` and the `cjmsite` command."""


def run() -> None:
    try:  # Ctrl-C while Python is still importing: a quiet exit, as at any later moment
        from cjmsite.cli import main
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    main()


if __name__ == "__main__":
    run()
