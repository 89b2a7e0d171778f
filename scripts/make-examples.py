#!/usr/bin/env python3
"""Generates the example wave exports in examples/ deterministically.

The files imitate what the ad platforms export for one client (BYD): Meta Ads Manager waves
1 to 3 (columns added, reordered and dropped between waves), a LinkedIn Campaign Manager
export with its report preamble, a Google Ads UTF-16 tab-separated export, and the naming-key
file that campaign rows refer to. Run it again only to change the examples.
"""
import os, random

out = os.path.join(os.path.dirname(__file__), "..", "examples")
os.makedirs(out, exist_ok=True)
rng = random.Random(2024)

keys = [f"BYD-{m}-{o}-{n:02d}" for m in ("DE", "FR", "UK") for o in ("AWR", "CNV") for n in (1, 2)]

def write(name, text, encoding="utf-8"):
    with open(os.path.join(out, name), "wb") as f:
        f.write(text.encode(encoding))

# Naming keys: the campaign naming convention each campaign row refers to.
rows = ["Naming Key,Market,Objective,Model,Agency Owner,Created"]
for k in keys:
    _, market, objective, n = k.split("-")
    rows.append(f'{k},{market},{"Awareness" if objective == "AWR" else "Conversion"},{"Seal" if int(n) % 2 else "Dolphin"},"Spark Media, {market}",2024-01-{int(n) + 2:02d}')
# One file per platform's schema, each named by the standard nomenclature (spark plan refuses a
# file whose name says another platform than --platform).
for platform in ("meta", "linkedin", "google_ads"):
    write(f"byd_{platform}_2024_naming_keys.csv", "\n".join(rows) + "\n")

def meta_row(i, wave, cols):
    key = keys[i % len(keys)]
    spend = rng.randint(500, 900000) / 100
    impressions = rng.randint(1000, 2_000_000)
    clicks = rng.randint(10, 20000)
    v = {
        "Campaign name": f'"BYD {key.split("-")[1]} – {"Seal" if i % 2 else "Dolphin"}, Spring"',
        "Naming key": key,
        "Ad set name": f"Lookalike {i % 5}",
        "Reporting starts": f"2024-0{wave + 2}-{1 + i % 28:02d}",
        "Reporting ends": f"2024-0{wave + 2}-{1 + i % 28:02d}",
        "Impressions": str(impressions),
        "Reach": str(impressions // rng.randint(1, 4)),
        "Frequency": f"{rng.randint(100, 400) / 100:.2f}",
        "Amount spent (EUR)": f"{spend:.2f}",
        "Link clicks": str(clicks),
        "CTR (link click-through rate)": f"{clicks / impressions * 100:.6f}",
        "Cost per result": "" if i % 6 == 0 else f"{spend / max(1, clicks):.2f}",
        "Video plays at 25%": str(rng.randint(0, 50000)),
        "Video plays at 75%": str(rng.randint(0, 20000)),
        "ThruPlays": str(rng.randint(0, 9000)),
        "Delivery status": "active" if i % 4 else "inactive",
        "Notes": '"Creative refreshed mid-flight;\nsee brief v2"' if i % 9 == 0 else "",
    }
    return ",".join(v[c] for c in cols)

waves = {
    1: ["Campaign name", "Naming key", "Ad set name", "Reporting starts", "Reporting ends", "Impressions", "Reach",
        "Amount spent (EUR)", "Link clicks", "CTR (link click-through rate)", "Cost per result", "Delivery status", "Notes"],
    # Wave 2: two new video columns, Reach moved to the end.
    2: ["Campaign name", "Naming key", "Ad set name", "Reporting starts", "Reporting ends", "Impressions",
        "Amount spent (EUR)", "Link clicks", "CTR (link click-through rate)", "Cost per result", "Video plays at 25%",
        "Video plays at 75%", "Delivery status", "Notes", "Reach"],
    # Wave 3: Notes dropped, Frequency and ThruPlays added, columns reordered again.
    3: ["Naming key", "Campaign name", "Ad set name", "Reporting starts", "Reporting ends", "Amount spent (EUR)",
        "Impressions", "Reach", "Frequency", "Link clicks", "CTR (link click-through rate)", "Cost per result",
        "Video plays at 25%", "Video plays at 75%", "ThruPlays", "Delivery status"],
}
for wave, cols in waves.items():
    header = ",".join(f'"{c}"' if "," in c else c for c in cols)
    rows = [meta_row(i, wave, cols) for i in range(1, 61 + 20 * wave)]
    write(f"byd_meta_2024_wave{wave}.csv", "\ufeff" + "\r\n".join([header] + rows) + "\r\n")

# LinkedIn Campaign Manager: a 7-line report preamble and US dates.
pre = ["Campaign Performance Report", "Report Start: 1/1/2024", "Report End: 3/31/2024", '"Account: BYD Europe, Ltd."',
       "Time Zone: (UTC+01:00) Amsterdam, Berlin", "Currency: EUR", ""]
rows = ["Start Date (in UTC),Campaign Name,Campaign ID,Naming Key,Impressions,Clicks,Total Spent,Average CTR,Leads"]
for i in range(1, 46):
    rows.append(f'{1 + i % 3}/{1 + i % 28}/2024,"BYD Fleet, Lead Gen {i % 3}",{180_000_000 + i},{keys[i % len(keys)]},'
                f'{rng.randint(100, 90000)},{rng.randint(0, 900)},{rng.randint(0, 200000) / 100:.2f},{rng.randint(1, 999) / 100000:.5f},{rng.randint(0, 40)}')
write("byd_linkedin_2024_wave1.csv", "\n".join(pre + rows) + "\n")

# Google Ads: UTF-16LE with BOM, tab-separated, two preamble lines, 1,234 thousands, 3.45% and --.
pre = ["Campaign performance report", "1 January 2024 - 31 March 2024"]
rows = ["Day\tCampaign\tNaming Key\tImpr.\tClicks\tCTR\tCurrency code\tCost\tConversions\tSearch impr. share"]
for i in range(1, 61):
    share = "--" if i % 5 == 0 else f"{rng.randint(1000, 9999) / 100:.2f}%"
    rows.append(f"2024-01-{1 + i % 31:02d}\tBYD Atto 3 – Search {i % 3}\t{keys[i % len(keys)]}\t{rng.randint(0, 2_000_000):,}\t"
                f"{rng.randint(0, 9000):,}\t{rng.randint(1, 999) / 100:.2f}%\tEUR\t{rng.randint(0, 9_000_000) / 100:,.2f}\t"
                f"{rng.randint(0, 500) / 10:.1f}\t{share}")
write("byd_google_ads_2024_wave1.csv", "\ufeff" + "\r\n".join(pre + rows) + "\r\n", "utf-16-le")

# A second client's Google Ads export from a German-language account (its own random stream, so
# the files above stay as they are): UTF-16LE, tabs, German headers and report lines, 1.234.567
# impressions, 1.234,56 costs, 12,34 % rates, dotted dates, and the "Gesamt" total rows Google
# Ads appends, which must not load as data.
de = random.Random(49)
def de_number(value, decimals=0):
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
pre = ["Kampagnenleistung", "1. März 2024 - 31. März 2024"]
rows = ["Tag\tKampagne\tKampagnentyp\tImpr.\tKlicks\tCTR\tWährungscode\tKosten\tConversions"]
totals = [0, 0, 0.0, 0.0]
for day in range(1, 32):
    for name, kind in (("Marke – Suche", "Suche"), ("Elektroauto, generisch", "Suche"), ("Remarketing", "Display")):
        impressions, clicks = de.randint(20_000, 900_000), de.randint(100, 9_000)
        cost, conversions = de.randint(1_000, 2_000_000) / 100, de.randint(0, 4_000) / 10
        totals = [totals[0] + impressions, totals[1] + clicks, totals[2] + cost, totals[3] + conversions]
        rows.append(f"{day:02d}.03.2024\tACME {name}\t{kind}\t{de_number(impressions)}\t{de_number(clicks)}\t"
                    f"{de_number(100 * clicks / impressions, 2)} %\tEUR\t{de_number(cost, 2)}\t{de_number(conversions, 1)}")
rows.append(f"Gesamt: Konto\t--\t--\t{de_number(totals[0])}\t{de_number(totals[1])}\t"
            f"{de_number(100 * totals[1] / totals[0], 2)} %\tEUR\t{de_number(totals[2], 2)}\t{de_number(totals[3], 1)}")
write("acme_google_ads_2024_wave1.csv", "\ufeff" + "\r\n".join(pre + rows) + "\r\n", "utf-16-le")
