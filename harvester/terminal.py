"""Text from files and archives made safe to show: control characters, escape sequences among
them, are written as visible `\\xNN` escapes, so a file name or a garbage line can neither
move the cursor, recolour nor retitle the terminal that prints it, nor break a line in two."""

import logging
import re

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with every control character but the tab escaped."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


class PrintableLog(logging.Filter):
    """Log records formatted, then made printable: messages quote URLs, file names and
    reasons taken from hostile input."""

    def filter(self, record: logging.LogRecord) -> bool:
        lines = record.getMessage().split("\n")
        record.msg = "\n".join(printable(line) for line in lines)
        record.args = ()
        return True


def guard_log_handlers() -> None:
    """Every handler of the root logger (Scrapy's, to stderr) prints only printable text."""
    for handler in logging.root.handlers:
        if not any(isinstance(f, PrintableLog) for f in handler.filters):
            handler.addFilter(PrintableLog())
