#!/usr/bin/env python3
"""Where a test run's time went: the slowest test classes and tests in a TRX file (summed durations per class)."""
import re
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def seconds(duration: str) -> float:
    h, m, s = duration.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def main(path: str) -> None:
    root = ET.parse(path).getroot()
    tests = []
    for result in root.iterfind(".//t:UnitTestResult", NS):
        name = result.get("testName", "")
        tests.append((seconds(result.get("duration", "0:0:0")), name))
    by_class = defaultdict(lambda: [0.0, 0])
    for spent, name in tests:
        cls = re.sub(r"\(.*$", "", name).rsplit(".", 1)[0]
        by_class[cls][0] += spent
        by_class[cls][1] += 1
    print(f"\nTest time by class ({len(tests)} tests; classes run side by side, so these sum to more than the run):")
    for cls, (spent, count) in sorted(by_class.items(), key=lambda p: -p[1][0])[:15]:
        print(f"  {spent:8.1f} s  {count:6d} tests  {cls}")
    print("Slowest tests:")
    for spent, name in sorted(tests, reverse=True)[:10]:
        print(f"  {spent:8.1f} s  {name[:150]}")


if __name__ == "__main__":
    main(sys.argv[1])
