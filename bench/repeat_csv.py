#!/usr/bin/env python3
"""Write SRC's header line once, then its body TIMES times, to OUT.

Usage: python bench/repeat_csv.py SRC TIMES OUT
Bytes are copied unchanged (separator, quoting and line endings kept).
"""
import sys


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    src, times, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with open(src, "rb") as f:
        header = f.readline()
        body = f.read()
    if not header.endswith(b"\n"):
        header += b"\n"
    if body and not body.endswith(b"\n"):
        body += b"\r\n" if header.endswith(b"\r\n") else b"\n"
    with open(out, "wb") as f:
        f.write(header)
        for _ in range(times):
            f.write(body)
    rows = body.count(b"\n") * times
    print(f"wrote {out}: header + {rows} rows", file=sys.stderr)


if __name__ == "__main__":
    main()
