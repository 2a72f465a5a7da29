"""Other tools' formats to and from cjmsite content."""
