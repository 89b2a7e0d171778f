#!/usr/bin/env python3
"""Writes the input files of the inference golden cases (Tests/SparkInferTests/Golden/<case>/).

Run it again only to change an input; then re-record the expected output with
SPARK_RECORD=1 swift test --filter SparkInferTests.
"""
import os, random

root = os.path.join(os.path.dirname(__file__), "..", "Tests", "SparkInferTests", "Golden")

def case(name, data, ext="csv"):
    d = os.path.join(root, name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.startswith("input."):
            os.remove(os.path.join(d, f))
    with open(os.path.join(d, "input." + ext), "wb") as f:
        f.write(data)

rng = random.Random(7)

# Meta Ads Manager: UTF-8 BOM, CRLF, quoted commas, multi-line quoted notes, money and counts.
rows = ["Campaign name,Ad set name,Reporting starts,Reporting ends,Impressions,Reach,Amount spent (USD),Link clicks,CTR (all),Cost per result,Notes"]
for i in range(1, 41):
    note = ""
    if i % 9 == 0:
        note = '"Paused on launch day, budget moved\r\nto ""Wave 2"" line items"'
    spend = f"{rng.randint(0, 500000) / 100:.2f}"
    cpr = "" if i % 5 == 0 else f"{rng.randint(1, 900) / 100:.2f}"
    rows.append(f'"BYD Seal, Spring {2024}",Lookalike {i % 4},2024-03-{i % 28 + 1:02d},2024-04-{i % 28 + 1:02d},{rng.randint(1000, 900000)},{rng.randint(500, 90000)},{spend},{rng.randint(0, 4000)},{rng.randint(1, 99999) / 10000:.4f},{cpr},{note}')
case("meta_bom_multiline", ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))

# LinkedIn Campaign Manager: a 7-line preamble, US dates, quoted fields.
pre = [
    "Campaign Performance Report",
    "Report Start: 1/1/2024",
    "Report End: 3/31/2024",
    '"Account: BYD Europe, Ltd."',
    "Time Zone: (UTC-05:00) Eastern Time",
    "Currency: USD",
    "",
]
rows = ["Start Date (in UTC),Campaign Name,Campaign ID,Impressions,Clicks,Total Spent,Average CTR,Leads"]
for i in range(1, 31):
    rows.append(f'{1 + i % 3}/{1 + i % 28}/2024,"BYD Dolphin, Lead Gen {i % 3}",{180000000 + i},{rng.randint(100, 90000)},{rng.randint(0, 900)},{rng.randint(0, 200000) / 100:.2f},{rng.randint(1, 999) / 100000:.5f},{rng.randint(0, 40)}')
case("linkedin_preamble", ("\n".join(pre + rows) + "\n").encode("utf-8"))

# Google Ads: UTF-16LE with BOM, tab-separated, 2 preamble lines, 1,234 thousands, 3.45% and --.
pre = ["Campaign performance report", "January 1, 2024 - March 31, 2024"]
rows = ["Day\tCampaign\tImpr.\tClicks\tCTR\tCurrency code\tCost\tConversions\tConv. rate\tSearch impr. share"]
for i in range(1, 31):
    impr = rng.randint(0, 2_000_000)
    share = "--" if i % 4 == 0 else f"{rng.randint(1000, 9999) / 100:.2f}%"
    rows.append(f"2024-01-{i:02d}\tBYD Atto 3 – Search {i % 2}\t{impr:,}\t{rng.randint(0, 9000):,}\t{rng.randint(1, 999) / 100:.2f}%\tUSD\t{rng.randint(0, 9_000_000) / 100:,.2f}\t{rng.randint(0, 500) / 10:.1f}\t{rng.randint(1, 999) / 100:.2f}%\t{share}")
case("google_ads_utf16", ("\ufeff" + "\r\n".join(pre + rows) + "\r\n").encode("utf-16-le"))

# TikTok-shaped: pipes? No: semicolons, European dates (a day above 12 proves D/M/Y), timestamps.
rows = ["Campaign name;Date;Created at;Updated at (UTC);Cost;Conversions;Active"]
for i in range(1, 21):
    rows.append(f"Spring {i % 2};{1 + i % 28}/{1 + i % 12}/2024;2024-02-{i:02d} 10:{i:02d}:00;2024-02-{i:02d}T10:{i:02d}:00.123+01:00;{rng.randint(0, 100000) / 100:.2f};{rng.randint(0, 30)};{'TRUE' if i % 2 else 'false'}")
case("tiktok_semicolon_dmy", ("\n".join(rows) + "\n").encode("utf-8"))

# Pipe-delimited, ambiguous dates (every day <= 12): US assumed with a warning.
rows = ["Date|Spend|Code|Big|Ratio|Identifier"]
for i in range(1, 13):
    rows.append(f"{i}/{13 - i}/2024|€{rng.randint(0, 99999) / 100:.2f}|{'00' + str(i)}|{'9' * 39}|{rng.random():.3e}|{i}")
case("pipe_ambiguous_dates", ("\n".join(rows) + "\n").encode("utf-8"))

# Windows-1252 without BOM: invalid UTF-8 falls back.
case("windows1252", "Kampagne,Coût,Notiz\nÉté 2024,12.50,café – crème\nHiver,3.10,naïve\n".encode("cp1252"))

# Duplicate and near-duplicate headers, a hostile header, an empty header, null markers.
case("headers_hostile_duplicates", (
    'Clicks,clicks,Clicks ,"x""; DROP TABLE y; --",,2024 Budget,Clicks_2,Video plays at 25%\n'
    "1,2,3,a,b,4.5,6,7\n"
    "N/A,n/a,null,NULL,-,--,,\n"
    "8,9,10,c,d,1,2,3\n").encode("utf-8"))

# Lone CR line endings and a header-only file.
case("cr_line_endings", b"a,b\r1,2\r3,\"x\ry\"\r")
case("header_only", b"Campaign,Spend\n")

# Bad input: each must fail with file and line.
case("bad_unterminated_quote", b'a,b,c\n1,2,3\n4,"open quote,6\n7,8,9\n')
case("bad_too_many_fields", b"a,b,c\n1,2,3\n4,5,6,7\n")
case("bad_xlsx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256)) * 4, ext="csv")
case("bad_empty", b"")
case("bad_binary", b"\x00\x01\x02garbage\x00\xff" * 50)
case("bad_quote_then_text", b'a,b\n"x"y,2\n')
case("bad_bom_invalid_utf8", b"\xef\xbb\xbfa,b\n1,\xff\xfe\n")
