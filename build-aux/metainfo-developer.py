#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright 2026 The attnflow authors
"""Writes the metainfo in the form the AppStream of the build system validates.

AppStream 1.0 deprecates <developer_name> and wants <developer id="..."><name>, a tag
AppStream 0.16 (Debian 12) does not know; neither form passes `appstreamcli validate
--strict` on both. The source keeps <developer_name> (translated like any other string);
for AppStream >= 1.0 this turns it and its translations into <developer>.

    metainfo-developer.py VERSION DEVELOPER_ID IN OUT
"""
import re
import sys


def version_at_least_1(text):
    match = re.search(r"(\d+)\.(\d+)", text)
    return match is not None and int(match.group(1)) >= 1


def main():
    version, developer_id, source, target = sys.argv[1:5]
    with open(source, encoding="utf-8") as f:
        xml = f.read()

    if version_at_least_1(version):
        lines = re.findall(r"^([ \t]*)<developer_name(\s[^>]*)?>(.*?)</developer_name>\n",
                           xml, re.M)
        if lines:
            indent = lines[0][0]
            names = "".join("%s  <name%s>%s</name>\n" % (indent, attrs or "", text)
                            for _, attrs, text in lines)
            block = '%s<developer id="%s">\n%s%s</developer>\n' % (indent, developer_id, names,
                                                                   indent)
            first = True

            def replace(match):
                nonlocal first
                if first:
                    first = False
                    return block
                return ""

            xml = re.sub(r"^[ \t]*<developer_name(\s[^>]*)?>.*?</developer_name>\n", replace, xml,
                         flags=re.M)

    with open(target, "w", encoding="utf-8") as f:
        f.write(xml)


if __name__ == "__main__":
    main()
