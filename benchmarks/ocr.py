"""Character error rate of text recognition on pages drawn from known text.

Run from the repository (needs tesseract with English, Russian and Kazakh data, and pdftoppm):

    .venv/bin/python benchmarks/ocr.py
    OCR_LANGUAGES=eng+rus .venv/bin/python benchmarks/ocr.py --out ocr-eng-rus.json

The pages are read with the language packs of OCR_LANGUAGES that are installed (recorded in
the results as "languages"); the second line measures what the Kazakh pack changes.

Each text below (written for this benchmark) is drawn as a 300 dpi page by
claims/devdata/scans.py, degraded five ways, and read through claims/sources/recognition.py
exactly as an uploaded scan is:

- "clean": a straight page, as a flatbed scanner gives;
- "photocopy": tilted 0.8 degrees, blurred (radius 0.8), 0.2% speckle;
- "phone photo": tilted 1.5 degrees, blurred (radius 1.2), 1% speckle, JPEG at quality 40;
- "worn fax": tilted 2.5 degrees, blurred (radius 1.8), 4% speckle, JPEG at quality 40;
- "far photo": tilted 1 degree, blurred (radius 1), 1% speckle, drawn at a fifth of the
  resolution (60 dpi) and enlarged back, JPEG at quality 40.

The character error rate is the edit distance between the known text and the recognised one
(runs of white space counted as one space) over the known text's length. Results go to
benchmarks/results/ocr.json, with seconds of wall time per page.
"""

import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "ocr.json"
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from rapidfuzz.distance import Levenshtein  # noqa: E402

from claims.devdata.scans import as_bytes, scan_page  # noqa: E402
from claims.sources import recognition  # noqa: E402

TEXTS = {
    "english": [
        "On the morning of 5 January the crowd on the square had grown",
        "from about a hundred people to several thousand. A witness who",
        "stood near the fountain told us that nine in ten of them were",
        "peaceful and that the first shots came at around 11:40.",
        "The ministry later said 10,000 people had been detained and",
        "that 164 had died, figures no independent group has confirmed.",
    ],
    "russian": [
        "Утром 5 января толпа на площади выросла примерно со ста",
        "человек до нескольких тысяч. Свидетель, стоявший у фонтана,",
        "рассказал нам, что девять из десяти были мирными, а первые",
        "выстрелы прозвучали около 11:40. Позже в министерстве",
        "заявили, что задержаны 10 000 человек и погибли 164, но эти",
        "цифры не подтвердила ни одна независимая организация.",
    ],
    # The same report in Kazakh, with the letters Russian lacks (ә, ғ, қ, ң, ө, ұ and others).
    "kazakh": [
        "Қаңтардың бесінші күні таңертең алаңдағы адамдар саны",
        "жүз шақты адамнан бірнеше мыңға дейін өсті. Субұрқақтың",
        "жанында тұрған куәгер бізге олардың оннан тоғызы бейбіт",
        "болғанын, ал алғашқы оқ шамамен 11:40-та атылғанын айтты.",
        "Кейін министрлік 10 000 адам ұсталып, 164 адам қаза тапты",
        "деп мәлімдеді, бірақ бұл сандарды ешбір тәуелсіз ұйым растаған жоқ.",
    ],
}
DEGRADATIONS = {
    "clean": ({}, "PNG"),
    "photocopy": ({"tilt": 0.8, "blur": 0.8, "noise": 0.002}, "PNG"),
    "phone photo": ({"tilt": 1.5, "blur": 1.2, "noise": 0.01}, "JPEG"),
    "worn fax": ({"tilt": 2.5, "blur": 1.8, "noise": 0.04}, "JPEG"),
    "far photo": ({"tilt": 1.0, "blur": 1.0, "noise": 0.01, "shrink": 5}, "JPEG"),
}


def squeeze(text):
    return " ".join(text.split())


def main():
    if not recognition.is_available():
        sys.exit("tesseract or pdftoppm is not installed")
    results = {
        "engine": recognition.engine_version(),
        "languages": recognition.languages(),
        "runs": [],
    }
    print(f"{results['engine']}, languages {results['languages']}")
    for language, lines in TEXTS.items():
        known = squeeze(" ".join(lines))
        for name, (degrade, fmt) in DEGRADATIONS.items():
            data = as_bytes([scan_page(lines, seed=1, **degrade)], fmt=fmt, quality=40)
            started = time.perf_counter()
            found = recognition.recognise(data, kind="image")
            seconds = time.perf_counter() - started
            cer = Levenshtein.distance(known, squeeze(found.text)) / len(known)
            run = {
                "text": language,
                "degradation": name,
                "characters": len(known),
                "cer": round(cer, 4),
                "doubtful_words": len(found.doubtful),
                "mean_confidence": round(found.mean_confidence, 1),
                "seconds_per_page": round(seconds, 2),
            }
            results["runs"].append(run)
            print(
                f"{language:8} {name:12} CER {cer:6.2%}  doubtful {len(found.doubtful):3}  "
                f"confidence {found.mean_confidence:5.1f}  {seconds:5.2f} s/page"
            )
    out = (
        RESULTS.with_name(sys.argv[sys.argv.index("--out") + 1]) if "--out" in sys.argv else RESULTS
    )
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
