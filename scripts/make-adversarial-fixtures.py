#!/usr/bin/env python3
"""Writes the adversarial load fixtures (Tests/SparkLoadTests/Adversarial/<case>/).

Each case folder gets one input file (`input.csv` or `input.tsv`) and an `oracle.json`: what a
correct reader must produce for that file (or the line it must refuse), derived from the values
this script generated, never from reading the file back. The rules the oracles follow (number
and date conventions, summary rows, preambles, quotes) are the ones spark is being made to
follow for non-en-US exports; `scripts/check-adversarial-fixtures.py` checks the oracles
against the generated values and the files against Python's csv module.

Deterministic: every case has its own fixed seed and nothing depends on the clock. Running it
again rewrites `input.*` and `oracle.json` in every case folder and leaves any other file there
(`expected.json`, `expected_stderr.txt`, recorded by the Swift tests) alone.

    python3 scripts/make-adversarial-fixtures.py           # write every case
    python3 scripts/make-adversarial-fixtures.py --list    # print the case names
"""
import datetime as dt
import json
import os
import random
import sys
from decimal import Decimal

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "SparkLoadTests", "Adversarial"))

NBSP, NNBSP, MINUS, RSQUO = "\u00a0", "\u202f", "\u2212", "\u2019"
NULL_MARKERS = {"", "--", "-", "N/A", "n/a", "null", "NULL"}
MARCH = dt.date(2024, 3, 1)


# ---------------------------------------------------------------------------------------------
# Ground truth: cells, columns, records, cases
# ---------------------------------------------------------------------------------------------

class Cell:
    """One field: `raw` is the text a CSV reader decodes (quotes removed), `value` the truth:
    Decimal (number), date, datetime (timestamp), bool, str (text) or None (null).
    `quote`: None = quote only when needed, True = always, False = never (deliberately broken)."""
    __slots__ = ("raw", "value", "quote")

    def __init__(self, raw, value=None, quote=None):
        self.raw, self.value, self.quote = raw, value, quote


def T(raw, quote=None):
    """A text cell (null when it is a null marker)."""
    return Cell(raw, None if raw.strip() in NULL_MARKERS else raw, quote)


def NUL(raw=""):
    return Cell(raw, None)


class Column:
    """`header` is the name the oracle gives the column; `order` says how the raw dates of the
    column are written (YMD, DMY, MDY) and `dec` the decimal mark of its raw numbers when it is
    not the file's (conflicting evidence), both for the check."""

    def __init__(self, header, kind, order=None, dec=None):
        self.header, self.kind, self.order, self.dec = header, kind, order, dec


class Record:
    """A record of the table. role: data, summary (left out of the load), rejected (a bad row).
    `text` is set for a deliberately damaged record, written as is."""

    def __init__(self, cells=None, role="data", text=None):
        self.cells, self.role, self.text = cells, role, text
        self.line = None


class Case:
    def __init__(self, name, description, columns, records, *, encoding="utf-8", delimiter=",", newline="\n",
                 preamble=(), header_rows=None, options=None, decimal=None, parse_decimal=None, ext="csv",
                 outcome="load", refuse_at=None, refuse_contains=(), damaged=False, trailing_newline=True):
        self.name, self.description = name, description
        self.columns, self.records = columns, records
        self.encoding, self.delimiter, self.newline = encoding, delimiter, newline
        self.preamble = list(preamble)
        self.header_rows = header_rows if header_rows is not None else [[c.header for c in columns]]
        self.options = options or {}
        self.decimal = decimal                      # the oracle's decimal_separator
        self.parse_decimal = parse_decimal or decimal or (options or {}).get("decimal_separator")  # how the raw numbers were written
        self.ext = ext
        self.outcome, self.refuse_at, self.refuse_contains = outcome, refuse_at, list(refuse_contains)
        self.damaged = damaged                      # a record is deliberately broken: no csv-module row check
        self.trailing_newline = trailing_newline
        self.header_line = None
        self._text = None

    # -- writing ------------------------------------------------------------------------------

    def field(self, c):
        if isinstance(c, str):
            c = Cell(c)
        needs = any(ch in c.raw for ch in (self.delimiter, '"', "\n", "\r"))
        if c.quote is False:
            return c.raw
        if c.quote or needs:
            return '"' + c.raw.replace('"', '""') + '"'
        return c.raw

    def record_text(self, cells):
        return self.delimiter.join(self.field(c) for c in cells)

    def text(self):
        """The file's text; assigns every record its 1-based physical start line."""
        if self._text is not None:
            return self._text
        parts, line = [], 1
        for p in self.preamble:
            parts.append(p)
            line += 1 + p.count("\n")
        self.header_line = line
        for row in self.header_rows:
            t = self.record_text(row)
            parts.append(t)
            line += 1 + t.count("\n")
        for r in self.records:
            r.line = line
            t = r.text if r.text is not None else self.record_text(r.cells)
            assert "\r" not in t.replace("\r\n", ""), "lone CR"
            parts.append(t)
            line += 1 + t.count("\n")
        text = self.newline.join(parts) + (self.newline if self.trailing_newline else "")
        self._text = text
        return text

    def data(self):
        text = self.text()
        if self.encoding == "utf-8":
            return text.encode("utf-8")
        if self.encoding == "utf-8-bom":
            return text.encode("utf-8-sig")
        if self.encoding == "utf-16le":
            return ("\ufeff" + text).encode("utf-16-le")
        if self.encoding == "utf-16be":
            return ("\ufeff" + text).encode("utf-16-be")
        if self.encoding == "windows-1252":
            return text.encode("cp1252")
        raise ValueError(self.encoding)

    # -- the oracle -----------------------------------------------------------------------------

    def keeps_summaries(self):
        return bool(self.options.get("keep_summary_rows"))

    def loaded(self):
        return [r for r in self.records if r.role == "data" or (r.role == "summary" and self.keeps_summaries())]

    def oracle(self):
        self.text()
        o = {"description": self.description, "options": self.options, "outcome": self.outcome,
             "encoding": self.encoding, "delimiter": self.delimiter}
        if self.outcome == "refuse":
            kind, *arg = self.refuse_at
            line = {"record": lambda: self.records[arg[0]].line, "header": lambda: self.header_line}[kind]()
            o["refuse"] = {"line": line, "contains": self.refuse_contains}
            return o
        o["header_line"] = self.header_line
        o["header_rows"] = len(self.header_rows)
        o["decimal_separator"] = self.decimal
        o["summary_rows"] = [] if self.keeps_summaries() else [r.line for r in self.records if r.role == "summary"]
        o["rejected_rows"] = [r.line for r in self.records if r.role == "rejected"]
        rows = self.loaded()
        o["columns"] = [{"header": c.header, "kind": c.kind, "values": [canonical(c.kind, r.cells[i]) for r in rows]}
                        for i, c in enumerate(self.columns)]
        return o


def canonical(kind, cell):
    if kind == "text":
        return None if cell.raw.strip() in NULL_MARKERS else cell.raw
    v = cell.value
    assert (v is None) == (cell.raw.strip() in NULL_MARKERS), (kind, cell.raw, v)
    if v is None:
        return None
    if kind == "number":
        assert isinstance(v, Decimal), (cell.raw, v)
        return format(v, "f")
    if kind == "date":
        assert type(v) is dt.date, (cell.raw, v)
        return v.isoformat()
    if kind == "timestamp":
        assert isinstance(v, dt.datetime), (cell.raw, v)
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if kind == "boolean":
        assert isinstance(v, bool)
        return "TRUE" if v else "FALSE"
    raise ValueError(kind)


# ---------------------------------------------------------------------------------------------
# Locale conventions
# ---------------------------------------------------------------------------------------------

DATE_ORDER = {"iso": "YMD", "dot": "DMY", "dash": "DMY", "slash_dmy": "DMY", "slash_mdy": "MDY", "slash_mdy0": "MDY"}


class Loc:
    """How one locale writes numbers and dates.
    grp: grouping mark; pre/suf: currency symbol with its space; pct: what follows a percent
    value; ungroup4: 4-digit integer parts are written without grouping (es-ES)."""

    def __init__(self, dec, grp, pre="", suf="", pct="%", date="iso", ungroup4=False, minus="-"):
        self.dec, self.grp, self.pre, self.suf, self.pctsuf = dec, grp, pre, suf, pct
        self.datefmt, self.ungroup4, self.minus = date, ungroup4, minus

    def with_(self, **kw):
        l = Loc(self.dec, self.grp, self.pre, self.suf, self.pctsuf, self.datefmt, self.ungroup4, self.minus)
        for k, v in kw.items():
            assert k in ("dec", "grp", "pre", "suf", "pctsuf", "datefmt", "ungroup4", "minus"), k
            setattr(l, k, v)
        return l

    def digits(self, ip, grouped=True):
        if not grouped or len(ip) <= 3 or (self.ungroup4 and len(ip) == 4):
            return ip
        groups = []
        while len(ip) > 3:
            groups.insert(0, ip[-3:])
            ip = ip[:-3]
        return self.grp.join([ip] + groups)

    def body(self, d, grouped=True):
        ip, _, fp = format(abs(d), "f").partition(".")
        return self.digits(ip, grouped) + (self.dec + fp if fp else "")

    def sign(self, d):
        return self.minus if d < 0 else ""

    def num(self, d, grouped=True):
        d = Decimal(d)
        return Cell(self.sign(d) + self.body(d, grouped), d)

    def money(self, d):
        return Cell(self.sign(d) + self.pre + self.body(d) + self.suf, d)

    def pct(self, d):
        return Cell(self.sign(d) + self.body(d) + self.pctsuf, d)

    def date_text(self, x, fmt=None):
        fmt = fmt or self.datefmt
        return {"iso": f"{x.year:04d}-{x.month:02d}-{x.day:02d}",
                "dot": f"{x.day:02d}.{x.month:02d}.{x.year:04d}",
                "dash": f"{x.day:02d}-{x.month:02d}-{x.year:04d}",
                "slash_dmy": f"{x.day:02d}/{x.month:02d}/{x.year:04d}",
                "slash_mdy": f"{x.month}/{x.day}/{x.year:04d}",
                "slash_mdy0": f"{x.month:02d}/{x.day:02d}/{x.year:04d}"}[fmt]

    def date(self, x, fmt=None):
        return Cell(self.date_text(x, fmt), x)

    def ts(self, x, seconds=True, pad_hour=True, fmt=None):
        hh = f"{x.hour:02d}" if pad_hour else str(x.hour)
        t = f"{hh}:{x.minute:02d}" + (f":{x.second:02d}" if seconds else "")
        value = x if seconds else x.replace(second=0)
        return Cell(self.date_text(x.date(), fmt) + " " + t, value)

    def order(self, fmt=None):
        return DATE_ORDER[fmt or self.datefmt]


LOC = {
    "de-DE": Loc(",", ".", suf=" €", pct=" %", date="dot"),
    "de-AT": Loc(",", ".", pre="€ ", pct=" %", date="dot"),
    "fr-FR": Loc(",", NNBSP, suf=NBSP + "€", pct=NBSP + "%", date="slash_dmy"),
    "de-CH": Loc(".", "'", pre="CHF ", pct=" %", date="dot"),
    "nl-NL": Loc(",", ".", pre="€ ", pct="%", date="dash"),
    "it-IT": Loc(",", ".", suf=" €", pct="%", date="slash_dmy"),
    "es-ES": Loc(",", ".", suf=" €", pct=" %", date="slash_dmy", ungroup4=True),
    "pl-PL": Loc(",", NBSP, suf=NBSP + "zł", pct="%", date="dot"),
    "en-US": Loc(".", ",", pre="$", pct="%", date="iso"),
}


def cents(n, scale=2):
    return Decimal(n).scaleb(-scale)


def q(d, places="0.01"):
    return d.quantize(Decimal(places))


def day(n):
    return MARCH + dt.timedelta(days=n)


# ---------------------------------------------------------------------------------------------
# Localized words
# ---------------------------------------------------------------------------------------------

NAMES = {
    "de": ["Frühjahr 2024 – Köln, Düsseldorf", "Markenbekanntheit Ü50", "Neukunden; Lookalike 3 %", "Sommer „Grün“ – Retargeting",
           'Messe "IAA" München', "Straßenbahn, Außenwerbung", "Händlersuche – Süd"],
    "at": ["Wien – Frühling, Innenstadt", "Kärnten; Seen-Tour", "Grazer Herbst", 'Aktion "Jause" – Österreich', "Tirol Skipass, Früh"],
    "fr": ["Été 2024 – Île-de-France", "Notoriété; Marque", "Soldes d'hiver, Lyon", 'Offre "Rentrée" – Élèves', "Prospection – Côte d'Azur"],
    "ch": ["Frühling 2024 – Zürich, Bern", "Markenbekanntheit; Romandie", 'Aktion "Grüezi" – Basel', "Neukunden, Genève", "Herbst – Luzern"],
    "nl": ["Voorjaar 2024 – Randstad", "Merkbekendheid; Noord", "Zomeractie, Utrecht", 'Actie "Koningsdag" – Oranje', "Nieuwe klanten – België"],
    "it": ["Primavera 2024 – Città, Lombardia", "Notorietà; Brand", 'Saldi "Estate" – Sud', "Più clienti, Sicilia", "Offerta Caffè – Torino"],
    "es": ["Primavera 2024 – Cataluña", "Notoriedad; Marca", 'Rebajas "Verano" – Andalucía', "Captación, Señal Móvil", "Campaña Año Nuevo"],
    "pl": ["Wiosna 2024 – Kraków, Łódź", "Świadomość marki; Północ", 'Promocja "Żółta" – Gdańsk', "Nowi klienci – Wrocław", "Zimowa wyprzedaż, Poznań"],
    "en": ["Spring Sale – US, East", "Brand Awareness; Q1", 'Promo "Easter" – Retargeting', "Prospecting, Lookalike 2%", "Café Launch – Austin"],
}

META_HEADERS = {
    "de": ["Kampagnenname", "Berichtsbeginn", "Berichtsende", "Impressionen", "Reichweite", "Ausgegebener Betrag (EUR)",
           "Link-Klicks", "CTR (Link-Klickrate)", "Kosten pro Ergebnis"],
    "fr": ["Nom de la campagne", "Début des rapports", "Fin des rapports", "Impressions", "Couverture", "Montant dépensé (EUR)",
           "Clics sur un lien", "CTR (taux de clics sur le lien)", "Coût par résultat"],
    "nl": ["Campagnenaam", "Begin rapportage", "Einde rapportage", "Weergaven", "Bereik", "Besteed bedrag (EUR)",
           "Linkklikken", "CTR (klikfrequentie link)", "Kosten per resultaat"],
    "it": ["Nome della campagna", "Inizio report", "Fine report", "Impression", "Copertura", "Importo speso (EUR)",
           "Clic sul link", "CTR (percentuale di clic sul link)", "Costo per risultato"],
    "es": ["Nombre de la campaña", "Inicio del informe", "Fin del informe", "Impresiones", "Alcance", "Importe gastado (EUR)",
           "Clics en el enlace", "CTR (porcentaje de clics en el enlace)", "Coste por resultado"],
    "pl": ["Nazwa kampanii", "Początek raportowania", "Koniec raportowania", "Wyświetlenia", "Zasięg", "Wydana kwota (PLN)",
           "Kliknięcia linku", "CTR (współczynnik kliknięć linku)", "Koszt na wynik"],
}

GOOGLE = {
    "de": dict(preamble=["Kampagnenbericht", "1. März 2024 - 31. März 2024"],
               header=["Tag", "Kampagne", "Kampagnentyp", "Impr.", "Klicks", "CTR", "Währungscode", "Kosten", "Durchschn. CPC",
                       "Conversions", "Anteil an möglichen Impressionen (Suche)"],
               campaigns=[("Marke – Suche DE", "Suche"), ("Generisch, Elektroauto", "Suche"), ("Remarketing – Display", "Display")],
               totals=[("Gesamt: Konto", None), ("Gesamt: Suchkampagnen", "Suche"), ("Gesamt: Displaykampagnen", "Display")],
               search="Suche"),
    "en": dict(preamble=["Campaign report", "March 1, 2024 - March 31, 2024"],
               header=["Day", "Campaign", "Campaign type", "Impr.", "Clicks", "CTR", "Currency code", "Cost", "Avg. CPC",
                       "Conversions", "Search impr. share"],
               campaigns=[("Brand – Search US", "Search"), ("Generic, EV", "Search"), ("Remarketing – Display", "Display")],
               totals=[("Total: Account", None), ("Total: Search campaigns", "Search"), ("Total: Campaigns", None)],
               search="Search"),
    "fr": dict(preamble=["Rapport sur les campagnes", "1 mars 2024 - 31 mars 2024"],
               header=["Jour", "Campagne", "Type de campagne", "Impr.", "Clics", "CTR", "Code de la devise", "Coût", "CPC moy.",
                       "Conversions", "Taux d'impr. (Réseau de Recherche)"],
               campaigns=[("Marque – Recherche FR", "Réseau de Recherche"), ("Générique, Véhicule électrique", "Réseau de Recherche"),
                          ("Remarketing – Display", "Display")],
               totals=[("Total: compte", None), ("Total: campagnes sur le Réseau de Recherche", "Réseau de Recherche")],
               search="Réseau de Recherche"),
    "ch": dict(preamble=["Kampagnenbericht", "1. März 2024 - 31. März 2024"],
               header=["Tag", "Kampagne", "Kampagnentyp", "Impr.", "Klicks", "CTR", "Währungscode", "Kosten", "Durchschn. CPC",
                       "Conversions", "Anteil an möglichen Impressionen (Suche)"],
               campaigns=[("Marke – Suche CH", "Suche"), ("Generisch, Romandie", "Suche")],
               totals=[("Gesamt: Konto", None), ("Gesamt: Kampagnen", None)],
               search="Suche"),
    "nl": dict(preamble=["Campagnerapport", "1 maart 2024 - 31 maart 2024"],
               header=["Dag", "Campagne", "Campagnetype", "Vertoningen", "Klikken", "CTR", "Valutacode", "Kosten", "Gem. CPC",
                       "Conversies", "Zoekvertoningsaandeel"],
               campaigns=[("Merk – Zoeken NL", "Zoeken"), ("Generiek, Elektrisch", "Zoeken"), ("Remarketing – Display", "Display")],
               totals=[("Totaal: account", None), ("Totaal: zoekcampagnes", "Zoeken"), ("Totaal: campagnes", None)],
               search="Zoeken"),
    "es": dict(preamble=["Informe de campañas", "1 de marzo de 2024 - 31 de marzo de 2024"],
               header=["Día", "Campaña", "Tipo de campaña", "Impr.", "Clics", "CTR", "Código de moneda", "Coste", "CPC medio",
                       "Conversiones", "Cuota de impr. de búsqueda"],
               campaigns=[("Marca – Búsqueda ES", "Búsqueda"), ("Genérica, Eléctrico", "Búsqueda"), ("Remarketing – Display", "Display")],
               totals=[("Total: cuenta", None), ("Totales: campañas de búsqueda", "Búsqueda")],
               search="Búsqueda"),
}

LINKEDIN = {
    "de": dict(preamble=["Bericht zur Kampagnenleistung", "Report Start: 01.03.2024", "Report End: 31.03.2024",
                         "Konto: BYD Europe GmbH (508123456)", "Zeitzone: (UTC+01:00) Amsterdam, Berlin", "Währung: EUR", ""],
               header=["Startdatum (in UTC)", "Kampagnenname", "Kampagnen-ID", "Impressionen", "Klicks", "Ausgaben gesamt",
                       "Durchschnittliche CTR", "Leads", "Zuletzt geändert"]),
    "fr": dict(preamble=["Rapport sur les performances des campagnes", "Report Start: 01/03/2024", "Report End: 31/03/2024",
                         "Compte : BYD France SAS (508123457)", "Fuseau horaire : (UTC+01:00) Paris", "Devise : EUR", ""],
               header=["Date de début (UTC)", "Nom de la campagne", "ID de la campagne", "Impressions", "Clics", "Total dépensé",
                       "CTR moyen", "Leads", "Dernière modification"]),
    "ch": dict(preamble=["Bericht zur Kampagnenleistung", "Report Start: 01.03.2024", "Report End: 31.03.2024",
                         "Konto: BYD Schweiz AG (508123458)", "Zeitzone: (UTC+01:00) Zürich", "Währung: CHF", ""],
               header=["Startdatum (in UTC)", "Kampagnenname", "Kampagnen-ID", "Impressionen", "Klicks", "Ausgaben gesamt",
                       "Durchschnittliche CTR", "Leads"]),
    "it": dict(preamble=["Report sul rendimento delle campagne", "Report Start: 01/03/2024", "Report End: 31/03/2024",
                         "Account: BYD Italia S.r.l. (508123459)", "Fuso orario: (UTC+01:00) Roma", "Valuta: EUR", ""],
               header=["Data di inizio (UTC)", "Nome campagna", "ID campagna", "Impressioni", "Clic", "Spesa totale", "CTR medio",
                       "Lead"]),
    "pl": dict(preamble=["Raport skuteczności kampanii", "Report Start: 01.03.2024", "Report End: 31.03.2024",
                         "Konto: BYD Polska Sp. z o.o. (508123460)", "Strefa czasowa: (UTC+01:00) Warszawa", "Waluta: PLN", ""],
               header=["Data rozpoczęcia (UTC)", "Nazwa kampanii", "Identyfikator kampanii", "Wyświetlenia", "Kliknięcia",
                       "Łączne wydatki", "Średni CTR", "Leady"]),
}


# ---------------------------------------------------------------------------------------------
# Platform shapes
# ---------------------------------------------------------------------------------------------

def meta_case(name, locale, lang, n, description, encoding="utf-8-bom", loc=None, names=None):
    """Meta Ads Manager: UTF-8 with BOM, CRLF, ';', localized headers, one row per campaign and
    reporting week; reach values all 1.000 to 999.999 (ambiguous alone: `294.481`), money and
    CTR that prove the decimal comma."""
    loc = loc or LOC[locale]
    rng = random.Random(name)
    h = META_HEADERS[lang]
    names = NAMES[names or lang]
    cols = [Column(h[0], "text"), Column(h[1], "date", loc.order()), Column(h[2], "date", loc.order()),
            Column(h[3], "number"), Column(h[4], "number"), Column(h[5], "number"), Column(h[6], "number"),
            Column(h[7], "number"), Column(h[8], "number")]
    low = 10000 if loc.ungroup4 else 1000
    recs = []
    for i in range(n):
        start = day(i * 31 // n)
        reach = rng.randint(low, 999999)
        impr = int(reach * (1 + rng.random() * 1.8))
        spend = cents(rng.randint(500, 2500000))
        clicks = rng.randint(0, impr // 40)
        results = 0 if rng.random() < 0.15 else rng.randint(1, 400)
        recs.append(Record([
            T(names[i % len(names)]), loc.date(start), loc.date(start + dt.timedelta(days=6)),
            loc.num(impr), loc.num(reach), loc.num(spend), loc.num(clicks),
            loc.pct(q(Decimal(clicks) * 100 / impr)),
            loc.money(q(spend / results)) if results else NUL(),
        ]))
    return Case(name, description, cols, recs, encoding=encoding, delimiter=";", newline="\r\n",
                decimal=loc.dec)


def google_case(name, locale, lang, description, camps=None, day_fmt="iso", loc=None, currency="EUR", seed=None):
    """Google Ads: UTF-16LE with BOM, tab-separated, a report title and a date range, the table,
    then total rows whose first cell is `<Total word>: <scope>` with `--` or empty descriptive
    cells and filled numbers."""
    loc = loc or LOC[locale]
    rng = random.Random(seed or name)
    g = GOOGLE[lang]
    h = g["header"]
    campaigns = g["campaigns"] if camps is None else g["campaigns"][:camps]
    cols = [Column(h[0], "date", loc.order(day_fmt)), Column(h[1], "text"), Column(h[2], "text"), Column(h[3], "number"),
            Column(h[4], "number"), Column(h[5], "number"), Column(h[6], "text"), Column(h[7], "number"),
            Column(h[8], "number"), Column(h[9], "number"), Column(h[10], "number")]
    recs, facts = [], []
    for d in range(31):
        for cname, ctype in campaigns:
            impr = rng.randint(1000, 999999)
            clicks = rng.randint(1, max(1, impr // 25))
            cost = cents(clicks * rng.randint(15, 260))
            conv = cents(rng.randint(0, max(1, clicks // 10) * 100))
            share = loc.pct(cents(rng.randint(1000, 9999))) if ctype == g["search"] else T("--")
            facts.append((ctype, impr, clicks, cost, conv))
            recs.append(Record([
                loc.date(day(d), day_fmt), T(cname), T(ctype), loc.num(impr), loc.num(clicks),
                loc.pct(q(Decimal(clicks) * 100 / impr)), T(currency), loc.num(cost), loc.num(q(cost / clicks)),
                loc.num(conv), share]))
    for label, scope in g["totals"]:
        rows = [f for f in facts if scope is None or f[0] == scope]
        impr, clicks = sum(f[1] for f in rows), sum(f[2] for f in rows)
        cost, conv = sum((f[3] for f in rows), Decimal("0.00")), sum((f[4] for f in rows), Decimal("0.00"))
        recs.append(Record([
            T(label), T("--"), T(""), loc.num(impr), loc.num(clicks), loc.pct(q(Decimal(clicks) * 100 / impr)), T("--"),
            loc.num(cost), loc.num(q(cost / clicks)), loc.num(conv), T("--")], role="summary"))
    return Case(name, description, cols, recs, encoding="utf-16le", delimiter="\t", newline="\r\n",
                preamble=g["preamble"], decimal=loc.dec)  # named .csv, as Google Ads names it


def linkedin_case(name, locale, lang, description, days=20, loc=None, spent=None, modified=None):
    """LinkedIn Campaign Manager: UTF-8, ';', a report preamble ending in a blank line, one row
    per campaign and day; impressions all 1.000 to 999.999."""
    loc = loc or LOC[locale]
    rng = random.Random(name)
    li = LINKEDIN[lang]
    h = li["header"]
    names = NAMES[lang][:3]
    ids = [rng.randint(180000000, 189999999) for _ in names]
    cols = [Column(h[0], "date", loc.order()), Column(h[1], "text"), Column(h[2], "number"), Column(h[3], "number"),
            Column(h[4], "number"), Column(h[5], "number"), Column(h[6], "number"), Column(h[7], "number")]
    if modified:
        cols.append(Column(h[8], "timestamp", loc.order()))
    recs = []
    for d in range(days):
        for k, cname in enumerate(names):
            impr = rng.randint(1000, 999999)
            clicks = rng.randint(0, impr // 100 + 1)
            spend = cents(rng.randint(100, 800000))
            cells = [loc.date(day(d)), T(cname), Cell(str(ids[k]), Decimal(ids[k])), loc.num(impr), loc.num(clicks),
                     (spent or loc.num)(spend), loc.num(q(Decimal(clicks) / impr, "0.00001")), loc.num(rng.randint(0, 30))]
            if modified:
                stamp = dt.datetime.combine(day(d) + dt.timedelta(days=1), dt.time(rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)))
                cells.append(modified(stamp))
            recs.append(Record(cells))
    return Case(name, description, cols, recs, encoding="utf-8", delimiter=";", newline="\n",
                preamble=li["preamble"], decimal=loc.dec)


def report_case(name, description, loc, header, names, n, *, delimiter=";", date_fmt=None, summaries=(), top=False,
                encoding="utf-8", newline="\n", money=True, summary_date="", options=None):
    """A plain report: campaign, date, impressions, clicks, cost, conversions; `summaries` are
    first-cell labels of total rows written at the end (or the top) of the data."""
    rng = random.Random(name)
    cols = [Column(header[0], "text"), Column(header[1], "date", loc.order(date_fmt)), Column(header[2], "number"),
            Column(header[3], "number"), Column(header[4], "number"), Column(header[5], "number")]
    recs, tot = [], [0, 0, Decimal("0.00"), Decimal("0.00")]
    for i in range(n):
        impr = rng.randint(200, 250000)
        clicks = rng.randint(1, impr // 30 + 1)
        cost = cents(rng.randint(100, 450000))
        conv = cents(rng.randint(0, 4000))
        for j, v in enumerate((impr, clicks, cost, conv)):
            tot[j] += v
        recs.append(Record([T(names[i % len(names)]), loc.date(day(i * 31 // n), date_fmt), loc.num(impr), loc.num(clicks),
                            loc.money(cost) if money else loc.num(cost), loc.num(conv)]))
    sums = []
    for label in summaries:
        sums.append(Record([T(label), T(summary_date), loc.num(tot[0]), loc.num(tot[1]),
                            loc.money(tot[2]) if money else loc.num(tot[2]), loc.num(tot[3])], role="summary"))
    recs = sums + recs if top else recs + sums
    return Case(name, description, cols, recs, encoding=encoding, delimiter=delimiter, newline=newline,
                decimal=loc.dec, options=options)


# ---------------------------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------------------------

def locale_cases():
    de, at, fr, ch, nl, it, es, pl = (LOC[k] for k in ("de-DE", "de-AT", "fr-FR", "de-CH", "nl-NL", "it-IT", "es-ES", "pl-PL"))
    out = [
        meta_case("locale_de_meta", "de-DE", "de", 64,
                  "de-DE Meta Ads Manager export (BOM, CRLF, ';', 1.234,56, 12,34 %, 0,45 €, 05.03.2024): Reichweite "
                  "values like 294.481 are read as whole numbers because the money columns prove the decimal comma."),
        meta_case("locale_de_excel_cp1252", "de-DE", "de", 48,
                  "The de-DE Meta export re-saved by German Excel as windows-1252 without BOM: same conventions, "
                  "€ and „“ decoded from cp1252, Reichweite 294.481 read as 294481.", encoding="windows-1252"),
    ]
    # de-AT: the German headers with the euro sign first and Austrian campaign names.
    c = meta_case("locale_at_meta", "de-AT", "de", 52,
                  "de-AT Meta export with the euro sign before the amount (€ 1.234,56) and dotted dates: amounts load "
                  "as plain decimals and 294.481-style reach as whole numbers.", names="at")
    out.append(c)
    out += [
        meta_case("locale_fr_meta", "fr-FR", "fr", 58,
                  "fr-FR Meta export: U+202F narrow no-break space grouping (294 481), 1 234,56 € with a no-break space "
                  "before €, 12,34 % with a no-break space before %, dd/mm/yyyy dates proven day-first by days above 12."),
        meta_case("locale_nl_meta", "nl-NL", "nl", 62,
                  "nl-NL Meta export: € 1.234,56, 12,34%, dd-mm-yyyy dates with dashes; 294.481-style reach loads as "
                  "whole numbers thanks to the money columns."),
        meta_case("locale_it_meta", "it-IT", "it", 45,
                  "it-IT Meta export: 1.234,56 €, 12,34%, dd/mm/yyyy dates; 294.481-style reach loads as whole numbers."),
        meta_case("locale_es_meta", "es-ES", "es", 70,
                  "es-ES Meta export where 4-digit numbers are written without grouping (1234,56 €, 2944) and larger "
                  "ones grouped (12.345,67 €, 294.481); all load as plain decimals, dates dd/mm/yyyy."),
        meta_case("locale_pl_meta", "pl-PL", "pl", 55,
                  "pl-PL Meta export: no-break space grouping (294 481), 1 234,56 zł, 12,34%, dd.mm.yyyy dates; all "
                  "numbers load as plain decimals."),
        google_case("locale_de_google_ads", "de-DE", "de",
                    "de-DE Google Ads export (UTF-16LE, tabs, 2 preamble lines, 3 'Gesamt: …' rows at the end): Impr. "
                    "like 294.481 load as whole numbers, Kosten 1.234,56 as 1234.56, the Gesamt rows are left out."),
        google_case("locale_fr_google_ads", "fr-FR", "fr",
                    "fr-FR Google Ads export (UTF-16LE, tabs) with no-break space grouping and 3,45 % CTR; the 'Total: …' "
                    "rows at the end are left out of the load.", loc=fr.with_(grp=NBSP, pctsuf=NNBSP + "%")),
        google_case("locale_ch_google_ads", "de-CH", "ch",
                    "de-CH Google Ads export: apostrophe grouping with a decimal point (1'234.50, 294'481), dotted dates "
                    "in the Tag column, 'Gesamt: …' rows left out.", camps=None, day_fmt="dot", currency="CHF"),
        google_case("locale_nl_google_ads", "nl-NL", "nl",
                    "nl-NL Google Ads export: Vertoningen like 294.481 and Kosten 1.234,56; the three 'Totaal: …' rows "
                    "are left out of the load."),
        google_case("locale_es_google_ads", "es-ES", "es",
                    "es-ES Google Ads export with dd/mm/yyyy days, 4-digit numbers ungrouped and larger ones grouped; "
                    "'Total: cuenta' and 'Totales: …' rows are left out.", day_fmt="slash_dmy"),
        linkedin_case("locale_de_linkedin", "de-DE", "de",
                      "de-DE LinkedIn Campaign Manager export: 7-line preamble ending in a blank line, ';', dotted dates, "
                      "timestamps like 06.03.2024 9:05 without seconds, 0,00523 CTR and 294.481-style impressions.",
                      days=18, modified=lambda x: de.ts(x, seconds=False, pad_hour=False)),
        linkedin_case("locale_fr_linkedin", "fr-FR", "fr",
                      "fr-FR LinkedIn export: narrow no-break space grouping, 1 234,56 € spend, dd/mm/yyyy dates and "
                      "dd/mm/yyyy hh:mm:ss timestamps after the preamble.", days=22,
                      spent=fr.money, modified=lambda x: fr.ts(x)),
        linkedin_case("locale_ch_linkedin", "de-CH", "ch",
                      "de-CH LinkedIn export: U+2019 apostrophe grouping (294’481), CHF 1’234.50 spend with a decimal "
                      "point, dotted dates.", days=16, loc=ch.with_(grp=RSQUO), spent=ch.with_(grp=RSQUO).money),
        linkedin_case("locale_it_linkedin", "it-IT", "it",
                      "it-IT LinkedIn export: 1.234,56 spend, 294.481-style impressions and dd/mm/yyyy dates after a "
                      "7-line preamble.", days=25),
        linkedin_case("locale_pl_linkedin", "pl-PL", "pl",
                      "pl-PL LinkedIn export with plain-space grouping (294 481) and 1 234,56 zł spend, dd.mm.yyyy dates.",
                      days=14, loc=pl.with_(grp=" ", suf=" zł"), spent=pl.with_(grp=" ", suf=" zł").money),
    ]
    return out


def decimal_cases():
    de, en = LOC["de-DE"], LOC["en-US"]
    out = []

    def no_evidence(name, description, options, outcome):
        rng = random.Random("decimal_no_evidence_de")
        cols = [Column("Kampagnenname", "text"), Column("Anzeigengruppe", "text"), Column("Reichweite", "number"),
                Column("Link-Klicks", "number"), Column("Ergebnisse", "number")]
        groups = ["Interessen: Auto", "Lookalike 1 %", "Retargeting 30 Tage", "Breit – DACH"]
        recs = [Record([T(NAMES["de"][i % 7]), T(groups[i % 4]), de.num(rng.randint(1000, 999999)),
                        de.num(rng.randint(1, 999)), de.num(rng.randint(0, 99))]) for i in range(40)]
        first = recs[0].cells[2].raw
        return Case(name, description, cols, recs, encoding="utf-8-bom", delimiter=";", newline="\r\n",
                    options=options, decimal="," if outcome == "load" else None, parse_decimal=",", outcome=outcome,
                    refuse_at=("record", 0), refuse_contains=["Reichweite", first])

    out.append(no_evidence(
        "decimal_no_evidence_de",
        "A German Meta export whose only numbers are 294.481-style reach values and small integers: nothing "
        "in the file says whether '.' groups thousands or marks decimals, so it is refused naming Reichweite.",
        {}, "refuse"))
    out.append(no_evidence(
        "decimal_no_evidence_de_setting",
        "The same German file with decimal_separator ',': 294.481 is read as the whole number 294481.",
        {"decimal_separator": ","}, "load"))
    out.append(no_evidence(
        "decimal_no_evidence_de_column_type",
        "The same German file with Reichweite typed NUMBER(38,0): only the grouping reading fits an integer "
        "column, so 294.481 loads as 294481.",
        {"column_types": {"Reichweite": "NUMBER(38,0)"}}, "load"))

    rng = random.Random("decimal_no_evidence_en")
    cols = [Column("Campaign", "text"), Column("Ad group", "text"), Column("Impressions", "number"), Column("Status", "text")]
    recs = [Record([T(NAMES["en"][i % 5]), T(f"Ad group {i % 4 + 1}"), en.num(rng.randint(1000, 999999)),
                    T("Enabled" if i % 5 else "Paused")]) for i in range(40)]
    out.append(Case("decimal_no_evidence_en",
                    "An en-US export whose only numbers are quoted 1,234-style impressions: ',' could be a thousands "
                    "separator or a decimal comma, so the file is refused naming Impressions and the value.",
                    cols, recs, options={}, parse_decimal=".", outcome="refuse", refuse_at=("record", 0),
                    refuse_contains=["Impressions", recs[0].cells[2].raw]))

    rng = random.Random("decimal_conflict")
    cols = [Column("Kampagne", "text"), Column("Datum", "date", "YMD"), Column("Kosten", "number", dec=","), Column("CTR", "number", dec=".")]
    recs = [Record([T(NAMES["de"][i % 7]), de.date(day(i % 31), "iso"), de.num(cents(rng.randint(100000, 999999))),
                    en.num(cents(rng.randint(10, 999), 1))]) for i in range(40)]
    out.append(Case("decimal_conflict",
                    "Kosten written 1.234,56 (decimal comma) and CTR written 12.5 (decimal point) in the same file with "
                    "no setting: the evidence conflicts, so the file is refused at the first line holding both.",
                    cols, recs, delimiter=";", options={}, outcome="refuse", refuse_at=("record", 0),
                    refuse_contains=["Kosten", recs[0].cells[2].raw, "CTR", recs[0].cells[3].raw]))
    return out


def date_cases():
    fr = LOC["fr-FR"]
    out = []
    rng = random.Random("dates_fr_dmy_other_column")
    cols = [Column("Nom de la campagne", "text"), Column("Date de début", "date", "DMY"), Column("Date de fin", "date", "DMY"),
            Column("Impressions", "number"), Column("Montant dépensé (EUR)", "number")]
    frn = fr.with_(grp=NBSP)
    recs = []
    for i in range(40):
        start = day(i % 12)
        recs.append(Record([T(NAMES["fr"][i % 5]), fr.date(start), fr.date(start + dt.timedelta(days=14)),
                            frn.num(rng.randint(1000, 999999)), frn.money(cents(rng.randint(500, 999999)))]))
    out.append(Case("dates_fr_dmy_other_column",
                    "A French file whose Date de début values all have day and month <= 12 (05/03/2024): Date de fin "
                    "(days 15 to 26) proves day-first, so 05/03/2024 loads as 2024-03-05, not 2024-05-03.",
                    cols, recs, encoding="utf-8-bom", delimiter=";", newline="\r\n", decimal=","))

    def slash_default(name, description, options, order):
        rng = random.Random("dates_slash_ambiguous")
        cols = [Column("Campaign", "text"), Column("Date", "date", order), Column("Clicks", "number")]
        recs = []
        for i in range(24):
            a, b = 3, 1 + i % 12
            x = dt.date(2024, a, b) if order == "MDY" else dt.date(2024, b, a)
            recs.append(Record([T(f"Campaign {i % 3 + 1}"), Cell(f"{a:02d}/{b:02d}/2024", x), Cell(str(v := rng.randint(1, 900)), Decimal(v))]))
        return Case(name, description, cols, recs, options=options, decimal=None, parse_decimal=".")

    out.append(slash_default("dates_slash_ambiguous_default_us",
                             "Slashed dates whose parts are all <= 12 (03/05/2024) and no other evidence or setting: read "
                             "US month-first with a warning, so 03/05/2024 loads as 2024-03-05.", {}, "MDY"))
    out.append(slash_default("dates_slash_ambiguous_option_dmy",
                             "The same slashed dates with date_order DMY: 03/05/2024 loads as 2024-05-03.",
                             {"date_order": "DMY"}, "DMY"))
    return out


def summary_cases():
    en, de, nl, it = LOC["en-US"], LOC["de-DE"], LOC["nl-NL"], LOC["it-IT"]
    out = []
    base = google_case("summary_google_ads_en", "en-US", "en",
                       "en-US Google Ads export (UTF-16LE, tabs, 1,234 and 3.45%) ending in 'Total: Account', 'Total: "
                       "Search campaigns' and 'Total: Campaigns' rows with -- in the text columns: those rows are left "
                       "out and Day stays a date.", currency="USD")
    out.append(base)
    keep = google_case("summary_google_ads_en_keep", "en-US", "en",
                       "The same Google Ads file with keep_summary_rows: the Total rows are loaded as data, so Day "
                       "(holding 'Total: Account') becomes text and the -- cells are null.", currency="USD",
                       seed="summary_google_ads_en")
    keep.options = {"keep_summary_rows": True}
    keep.columns[0] = Column(base.columns[0].header, "text")
    out.append(keep)

    out.append(report_case(
        "summary_top_of_data",
        "A 'Total' row right under the header, before the data (date cell empty, numbers filled): it is left out, "
        "and the US m/d/yyyy Date column stays a date.",
        en.with_(pre="$", grp=","), ["Campaign", "Date", "Impressions", "Clicks", "Spend", "Conversions"],
        NAMES["en"], 42, delimiter=",", date_fmt="slash_mdy", summaries=["Total"], top=True))
    out.append(report_case(
        "summary_gesamt_de",
        "A German report ending in 'Gesamt - Suche' and 'Gesamt' rows (empty date, numbers filled): both are left out.",
        de, ["Kampagne", "Datum", "Impressionen", "Klicks", "Kosten", "Conversions"], NAMES["de"], 45,
        summaries=["Gesamt - Suche", "Gesamt"], encoding="utf-8-bom", newline="\r\n"))
    out.append(report_case(
        "summary_totaal_nl",
        "A Dutch report ending in 'Totaal: zoeken' and 'Totaal' rows with -- in the date column: both are left out, "
        "dd-mm-yyyy dates load as ISO dates.",
        nl, ["Campagne", "Datum", "Vertoningen", "Klikken", "Kosten", "Conversies"], NAMES["nl"], 50,
        summaries=["Totaal: zoeken", "Totaal"], summary_date="--"))
    out.append(report_case(
        "summary_totale_it",
        "An Italian report ending in 'TOTALE' and 'Totale (tutte le campagne)' rows (upper case and a parenthesised "
        "scope): both are left out.",
        it, ["Campagna", "Data", "Impressioni", "Clic", "Costo", "Conversioni"], NAMES["it"], 44,
        summaries=["TOTALE", "Totale (tutte le campagne)"]))
    out.append(report_case(
        "summary_summe",
        "A German Excel report ending in a single 'Summe' row with -- in the date cell: it is left out.",
        de, ["Kampagne", "Woche", "Impressionen", "Klicks", "Kosten", "Conversions"], NAMES["de"], 40,
        summaries=["Summe"], summary_date="--", encoding="utf-8-bom", newline="\r\n"))

    rng = random.Random("summary_trap_total_recall")
    names = ["Total Recall", "Totally Electric", "Summer Sale Total", "Total Recall – Retargeting", "Gesamtpaket Familie",
             "Spring Launch"]
    cols = [Column("Campaign", "text"), Column("Ad set", "text"), Column("Start date", "date", "YMD"),
            Column("Active", "boolean"), Column("Clicks", "number"), Column("Spend", "number")]
    recs = []
    for i in range(40):
        active = rng.random() < 0.7
        recs.append(Record([T(names[i % len(names)]), T(f"Lookalike {i % 4 + 1}"), en.date(day(i % 31)),
                            Cell("true" if active else "false", active), en.num(rng.randint(0, 900)),
                            en.num(cents(rng.randint(100, 99999)))]))
    out.append(Case("summary_trap_total_recall",
                    "Campaigns named 'Total Recall', 'Totally Electric' and 'Summer Sale Total' with their ad set and "
                    "date filled are ordinary data: every row loads and none is taken for a total.",
                    cols, recs, decimal="."))
    return out


def header_cases():
    out = []
    rng = random.Random("header_padded_preamble")
    head = ["Campaign", "Day", "Impressions", "Clicks", "Cost", "Conversions", "Status"]
    cols = [Column(head[0], "text"), Column(head[1], "date", "YMD"), Column(head[2], "number"), Column(head[3], "number"),
            Column(head[4], "number"), Column(head[5], "number"), Column(head[6], "text")]
    en = LOC["en-US"]
    recs = []
    for i in range(40):
        impr = rng.randint(100, 90000)
        recs.append(Record([T(["Brand", "Generic – EV", "Remarketing"][i % 3]), en.date(day(i * 31 // 40)),
                            en.num(impr, grouped=False), en.num(rng.randint(1, impr // 20 + 1), grouped=False),
                            en.num(cents(rng.randint(50, 500000)), grouped=False), en.num(cents(rng.randint(0, 300), 1)),
                            T("Enabled" if i % 6 else "Paused")]))
    pad = "," * (len(head) - 1)
    out.append(Case("header_padded_preamble",
                    "An Excel-saved report whose title and date-range lines are padded with commas to the table's "
                    "width ('Report,,,,,,'): both are preamble and the header is on line 3.",
                    cols, recs, newline="\r\n", decimal=".",
                    preamble=["Report" + pad, '"Date range: Mar 1, 2024 - Mar 31, 2024"' + pad]))

    def ragged(name, description, options, outcome):
        cols = [Column("Campaign", "text"), Column("Spend", "number")]
        recs = [Record([T(c), Cell(str(v), Decimal(v))]) for c, v in (("A", 10), ("B", 20), ("C", 30))]
        recs += [Record(role="rejected", text=f"{c},{v},x") for c, v in zip("DEFGHIJ", range(40, 110, 10))]
        return Case(name, description, cols, recs, options=options, decimal=None, parse_decimal=".", outcome=outcome,
                    refuse_at=("record", 3), damaged=True)

    out.append(ragged("header_ragged",
                      "The issue's ragged file: header Campaign,Spend and 3 two-field rows, then seven rows with a third "
                      "field; the header stays Campaign,Spend and the file is refused at line 5, the first 3-field row.",
                      {}, "refuse"))
    out.append(ragged("header_ragged_reject",
                      "The ragged file with bad_rows reject: A, B and C load, the seven 3-field rows (lines 5 to 11) are "
                      "rejected.", {"bad_rows": "reject"}, "load"))

    def damaged(name, description, header, preamble):
        rng = random.Random(name)
        cols = [Column("Campaign", "text"), Column("Day", "date", "YMD"), Column("Impressions", "number"),
                Column("Clicks", "number"), Column("Cost", "number")]
        recs = [Record([T(["Brand", "Generic", "Remarketing"][i % 3]), en.date(day(i)), en.num(rng.randint(100, 999)),
                        en.num(rng.randint(1, 99)), en.num(cents(rng.randint(100, 99999)))]) for i in range(12)]
        return Case(name, description, cols, recs, header_rows=[header], preamble=preamble, options={},
                    outcome="refuse", refuse_at=("header",), decimal=".")

    out.append(damaged("header_damaged_extra_field",
                       "A header with one name more (6) than every data row has fields (5): a damaged header, refused "
                       "naming line 1.", ["Campaign", "Day", "Impressions", "Clicks", "Cost", "Conversions"], []))
    out.append(damaged("header_damaged_missing_field",
                       "A header one name short (4) of the data rows' 5 fields, after a 3-line preamble: a damaged "
                       "header, refused naming line 4.", ["Campaign", "Day", "Impressions", "Cost"],
                       ["Campaign report", "Account: BYD Europe", ""]))

    rng = random.Random("header_two_row")
    groups = ["", "", "Conversions", "", "Clicks", ""]
    names = ["Campaign", "Day", "All conv.", "Conv. value", "Total", "Invalid"]
    cols = [Column("Campaign", "text"), Column("Day", "date", "YMD"), Column("Conversions / All conv.", "number"),
            Column("Conversions / Conv. value", "number"), Column("Clicks / Total", "number"), Column("Clicks / Invalid", "number")]
    recs = [Record([T(["Brand", "Generic", "Display"][i % 3]), en.date(day(i)), en.num(cents(rng.randint(0, 9000))),
                    en.num(cents(rng.randint(0, 90000))), en.num(rng.randint(10, 5000), grouped=False),
                    en.num(rng.randint(0, 9))]) for i in range(30)]
    # A title and a date range first (as Google Ads writes them), so the group row is not the
    # file's first line and only the two-row rule can apply to it.
    out.append(Case("header_two_row",
                    "A two-row header after a 2-line title: group labels ',,Conversions,,Clicks,' on line 3 over the "
                    "column names; columns load as 'Conversions / All conv.', 'Clicks / Invalid' etc., Campaign and Day "
                    "keep their own names.",
                    cols, recs, header_rows=[groups, names], decimal=".",
                    preamble=["Conversions by campaign", '"March 1, 2024 - March 30, 2024"']))

    out.append(Case("header_only",
                    "A file holding only its header line: it loads with zero rows (every column text, no values).",
                    [Column(h, "text") for h in ("Campaign", "Day", "Impressions", "Spend")], [], decimal=None))

    rng = random.Random("header_blank_lines")
    cols = [Column("Campaign", "text"), Column("Day", "date", "YMD"), Column("Clicks", "number"), Column("Cost", "number")]
    recs = [Record([T(["Brand", "Generic"][i % 2]), en.date(day(i)), en.num(rng.randint(1, 900)),
                    en.num(cents(rng.randint(100, 90000)), grouped=False)]) for i in range(20)]
    out.append(Case("header_blank_lines",
                    "Two blank lines before the header: the header is line 3 and all 20 rows load.",
                    cols, recs, preamble=["", ""], decimal="."))
    return out


def quote_cases():
    en = LOC["en-US"]
    out = []
    products = [("Canvas Tote, Small", 1250), ("Weekender Bag", 8999), ("Packing Cubes, Set of 3", 2400),
                ("Travel Wallet", 1999), ("Garment Bag", 6450)]

    def orders(name, description, options, outcome):
        rng = random.Random("quote_mid_field")
        cols = [Column("Order ID", "number"), Column("Date", "date", "YMD"), Column("Price", "number"),
                Column("Product", "text"), Column("Campaign", "text")]
        recs = []
        for i in range(14):
            p, c = products[i % len(products)]
            recs.append(Record([Cell(str(1001 + i), Decimal(1001 + i)), en.date(day(i)), en.money(cents(c)), T(p),
                                T(["Spring Sale", "Brand", "Retargeting"][rng.randint(0, 2)])]))
        recs[5] = Record(role="rejected", text='1006,2024-03-06,$78.74"Rolling Duffle, Extra-Large",Spring Sale')
        return Case(name, description, cols, recs, options=options, decimal=".", outcome=outcome, refuse_at=("record", 5),
                    damaged=True)

    out.append(orders("quote_mid_field",
                      "A record where a missing comma glued the price to a quoted product ($78.74\"Rolling Duffle, "
                      "Extra-Large\"): a quote inside an unquoted field that would swallow the delimiter, refused at line 7.",
                      {}, "refuse"))
    out.append(orders("quote_mid_field_reject",
                      "The same file with bad_rows reject: the broken record on line 7 is rejected and the other 13 rows load.",
                      {"bad_rows": "reject"}, "load"))

    rng = random.Random("quote_inch_mark")
    items = ['Dell 24" monitor', 'Poster 24" x 36"', "USB-C cable, 2 m", 'LG 27" 4K display', "Desk lamp"]
    cols = [Column("Product", "text"), Column("Clicks", "number"), Column("Spend", "number")]
    recs = [Record([T(items[i % 5], quote=None if '"' not in items[i % 5] else False), en.num(rng.randint(1, 900)),
                    en.num(cents(rng.randint(100, 99999)), grouped=False)]) for i in range(15)]
    out.append(Case("quote_inch_mark",
                    "Unquoted product names with a literal inch mark (24\" monitor, 24\" x 36\" poster) and no other "
                    "quote on the line: the quotes are ordinary characters and the names load as written.",
                    cols, recs, decimal="."))

    rng = random.Random("quote_after_closing")
    cols = [Column("Campaign", "text"), Column("Day", "date", "YMD"), Column("Clicks", "number")]
    recs = [Record([T(["Spring Sale", "Brand, DE", "Retargeting"][i % 3]), en.date(day(i)), en.num(rng.randint(1, 900))])
            for i in range(8)]
    recs[2] = Record(role="rejected", text='"Spring Sale"2024,2024-03-03,120')
    out.append(Case("quote_after_closing",
                    "A quoted field followed by more text before the delimiter (\"Spring Sale\"2024): refused naming "
                    "line 4.", cols, recs, options={}, outcome="refuse", refuse_at=("record", 2), damaged=True))
    return out


def spectrum_cases():
    en = LOC["en-US"]
    out = []

    def num(v):
        d = Decimal(v)
        return Cell(v, d)

    # comma_in_quotes: the delimiter inside quoted fields; a postcode with a leading zero makes its column text.
    cols = [Column("Campaign", "text"), Column("City", "text"), Column("Postcode", "text"), Column("Clicks", "number")]
    recs = [Record([T("Spring Sale, Part 1"), T("Berlin, Mitte"), T("10115"), num("12")]),
            Record([T("Brand"), T("Köln, Altstadt"), T("50667"), num("7")]),
            Record([T("Generic"), T("Dresden"), T("01067"), num("30")]),
            Record([T("Retargeting, \"Warm\""), T("Hamburg"), T("20095"), num("4")])]
    out.append(Case("spectrum_comma_in_quotes",
                    "Commas inside quoted fields ('Berlin, Mitte') stay in the value; a postcode with a leading zero "
                    "(01067) makes Postcode text.", cols, recs, decimal=None))

    def empty(name, newline, description):
        cols = [Column("Campaign", "text"), Column("Clicks", "number"), Column("Notes", "text")]
        recs = [Record([T("Alpha"), Cell("", None, quote=True), NUL("")]),
                Record([Cell("", None, quote=True), num("12"), Cell("", None, quote=True)]),
                Record([T("Gamma"), num("5"), T("first note")]),
                Record([NUL(""), NUL(""), NUL("")]),
                Record([T("Delta"), num("8"), T("second")])]
        return Case(name, description, cols, recs, newline=newline, decimal=None)

    out.append(empty("spectrum_empty", "\n",
                     "Empty fields, quoted (\"\") and unquoted, including a row of three empty fields: every one loads as null."))
    out.append(empty("spectrum_empty_crlf", "\r\n",
                     "The empty-fields file with CRLF line ends: empty and \"\" fields load as null, no stray CR in values."))

    cols = [Column("Headline", "text"), Column("Clicks", "number")]
    recs = [Record([T('The "best" deal'), num("12")]), Record([T('"Quoted" at the start'), num("3")]),
            Record([T('ends "quoted"'), num("4")]), Record([T('""'), num("9")]), Record([T('say "hi", then "bye"'), num("1")])]
    out.append(Case("spectrum_escaped_quotes",
                    "Doubled quotes inside quoted fields decode to single quotes (\"\"best\"\" → \"best\"), including a "
                    "value that is just two quote characters.", cols, recs, decimal=None))

    cols = [Column("Id", "number"), Column("Payload", "text")]
    recs = [Record([num("1"), T('{"campaign": "spring", "budget": 120.5, "tags": ["a", "b"]}')]),
            Record([num("2"), T('{"campaign": "brand, DE", "budget": null}')]),
            Record([num("3"), T('{"nested": {"k": "v"}, "list": []}')])]
    out.append(Case("spectrum_json",
                    "JSON objects in quoted fields (quotes doubled, commas inside) load as text exactly as written.",
                    cols, recs, decimal=None))

    cols = [Column("Store", "text"), Column("Latitude", "number"), Column("Longitude", "number")]
    recs = [Record([T(s), num(a), num(b)]) for s, a, b in (
        ("Berlin Mitte", "52.520008", "13.404954"), ("New York", "40.712776", "-74.005974"),
        ("Sydney", "-33.868820", "151.209290"), ("São Paulo", "-23.550520", "-46.633308"), ("Reykjavík", "64.146582", "-21.942635"))]
    out.append(Case("spectrum_location_coordinates",
                    "Decimal latitude and longitude with six decimals and minus signs load as numbers with their scale.",
                    cols, recs, decimal="."))

    def newlines(name, newline, inner, description):
        cols = [Column("Campaign", "text"), Column("Notes", "text"), Column("Clicks", "number")]
        recs = [Record([T("Alpha"), T(f"line one{inner}line two"), num("3")]),
                Record([T("Beta"), T("single"), num("4")]),
                Record([T(f"Gamma{inner}Delta"), T("x"), num("5")]),
                Record([T("Epsilon"), T(f"a{inner}{inner}b{inner}"), num("6")])]
        return Case(name, description, cols, recs, newline=newline, decimal=None)

    out.append(newlines("spectrum_newlines", "\n", "\n",
                        "Line feeds inside quoted fields stay in the value; records start on lines 2, 4, 5 and 7."))
    out.append(newlines("spectrum_newlines_crlf", "\r\n", "\r\n",
                        "CRLF inside quoted fields of a CRLF file stays in the value as CRLF."))

    cols = [Column("Headline", "text"), Column("Clicks", "number")]
    recs = [Record([T('a "quoted"\nline'), num("1")]), Record([T('"\n"'), num("2")]), Record([T("plain"), num("3")])]
    out.append(Case("spectrum_quotes_and_newlines",
                    "Doubled quotes and line feeds together in quoted fields decode exactly.", cols, recs, decimal=None))

    def simple(name, newline, description):
        cols = [Column("Campaign", "text"), Column("Clicks", "number"), Column("Impressions", "number")]
        recs = [Record([T("Alpha"), num("12"), num("340")]), Record([T("Beta"), num("7"), num("95")])]
        return Case(name, description, cols, recs, newline=newline, decimal=None)

    out.append(simple("spectrum_simple", "\n", "The simplest file: a header and two rows, LF line ends."))
    out.append(simple("spectrum_simple_crlf", "\r\n", "The simplest file with CRLF line ends: no CR left in any value."))

    cols = [Column("Kampagne", "text"), Column("Stadt", "text"), Column("Klicks", "number")]
    recs = [Record([T("Été à Paris"), T("Zürich"), num("5")]), Record([T("日本語キャンペーン"), T("Kraków"), num("7")]),
            Record([T("Launch 🚀"), T("Ærøskøbing"), num("9")]), Record([T("Ölwechsel – Ŝpecial"), T("Łódź"), num("11")])]
    out.append(Case("spectrum_utf8", "Non-ASCII text (accents, CJK, emoji, Polish letters) in UTF-8 loads unchanged.",
                    cols, recs, decimal=None))
    return out


def number_cases():
    en = LOC["en-US"]
    rng = random.Random("number_mixed_currency")
    cols = [Column("Campaign", "text"), Column("Spend", "number"), Column("Budget", "text"), Column("Account ID", "text"),
            Column("Adjustment", "number")]
    syms = ["$", "€", "£"]
    recs = []
    for i in range(30):
        spend = cents(rng.randint(100, 900000))
        adj = cents(rng.randint(-5000, 5000))
        minus = MINUS if i % 2 else "-"
        adj_cell = Cell((minus if adj < 0 else "") + format(abs(adj), "f"), adj)
        acct = f"{rng.randint(0, 9999999):08d}"
        recs.append(Record([T(NAMES["en"][i % 5]), en.money(spend), T(f"{syms[i % 3]}{rng.randint(1, 90) * 10}.00"),
                            T(acct), adj_cell]))
    return [Case("number_mixed_currency",
                 "Spend in $ (1,234.56) loads as numbers; Budget mixing $, € and £ is text; zero-padded Account IDs "
                 "(00712345) are text; Adjustment with '-' and U+2212 minus signs loads as negative numbers.",
                 cols, recs, decimal=".")]


def all_cases():
    cases = locale_cases() + decimal_cases() + date_cases() + summary_cases() + header_cases() + quote_cases() \
        + spectrum_cases() + number_cases()
    names = [c.name for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    return cases


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

def oracle_json(case):
    return json.dumps(case.oracle(), ensure_ascii=False, indent=2) + "\n"


def write_case(case):
    d = os.path.join(ROOT, case.name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        if f.startswith("input.") or f == "oracle.json":
            os.remove(os.path.join(d, f))
    data = case.data()
    assert len(data) < 40 * 1024, (case.name, len(data))
    with open(os.path.join(d, "input." + case.ext), "wb") as f:
        f.write(data)
    with open(os.path.join(d, "oracle.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write(oracle_json(case))


def main(argv):
    cases = all_cases()
    if "--list" in argv:
        for c in cases:
            print(c.name)
        return 0
    for c in cases:
        write_case(c)
    known = {c.name for c in cases}
    stale = sorted(n for n in os.listdir(ROOT) if os.path.isdir(os.path.join(ROOT, n)) and n not in known)
    for n in stale:
        print(f"note: {n} is not a generated case (left alone)", file=sys.stderr)
    print(f"wrote {len(cases)} cases under {os.path.relpath(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
