"""What a server worker does once at start, before its first request (gunicorn.conf.py).

A fresh process's first PDF took 1.5-1.8 s more than the next ones: importing WeasyPrint,
fontconfig finding the system fonts, Pango and HarfBuzz loading the faces the review uses
(Latin and Chinese, regular and bold), the print stylesheet parsed. A small document in those
fonts, rendered when the worker starts, moves that cost out of the first reader's request; what
it loaded stays in the thread's print kit (app/pdf.py), which the worker's requests render with.
Then the start-up heap is frozen out of the garbage collector's full passes (gc.freeze), which
otherwise walk the app's hundreds of thousands of long-lived objects during busy requests.

Last, the collector's thresholds are raised (GC_THRESHOLD, default 100000,50,100 against
Python's 700,10,10): a page allocates tens of thousands of short-lived objects, which reference
counting frees, and a young-generation pass every 700 of them cost a page 4-9% (issue 22).

PDF_WARMUP and GC_FREEZE (config, environment "0" to turn off) choose; both are on by default;
GC_THRESHOLD=0 keeps Python's thresholds.
"""
import gc
import time

WARM_HTML = """<!doctype html><html><head><meta charset="utf-8">
<style>@page { size: A4; margin: 20mm; font-family: "Liberation Sans", "WenQuanYi Micro Hei", sans-serif; }
body { font-family: "Liberation Sans", "WenQuanYi Micro Hei", sans-serif; }
.zh { font-family: "WenQuanYi Micro Hei", "Liberation Sans", sans-serif; }</style></head>
<body class="print"><h1>Quarterly account review 季度客户回顾</h1>
<p>Warm-up <b>bold 粗体</b> <i>italic</i> 1,234,567 ¥ € — ✓</p><p class="zh">客户健康度 <b>战略客户</b></p>
<table><tr><th>Account 客户</th><td>100%</td></tr></table></body></html>"""


def warm_pdf(app):
    """Render one small PDF in the review's fonts and stylesheet, and compile the print
    templates; seconds taken."""
    from app.pdf import INTERNAL_BASE, write_pdf
    from app.pdfsvg import install
    from app.reviews.pdf import REVIEW_SHEETS

    t0 = time.perf_counter()
    install()
    with app.app_context():
        for name in ("reviews/print.html", "complaints/card_print.html"):
            try:
                app.jinja_env.get_template(name)
            except Exception:  # a template renamed: the warm-up is best effort, never a failed start
                pass
        # This thread's print kit: its font map keeps the faces, its review.css stays parsed.
        write_pdf(WARM_HTML, INTERNAL_BASE, REVIEW_SHEETS)
    return time.perf_counter() - t0


def worker_start(app, log=None):
    """Warm the PDF fonts and freeze the start-up heap, as configured."""
    if app.config.get("PDF_WARMUP", True):
        try:
            secs = warm_pdf(app)
            if log:
                log.info("PDF fonts warmed in %.2f s", secs)
        except Exception as e:  # never stop a worker for a warm-up
            if log:
                log.warning("PDF warm-up failed: %s", e)
    if app.config.get("GC_FREEZE", True):
        gc.collect()
        gc.freeze()
    threshold = app.config.get("GC_THRESHOLD")
    if threshold:
        gc.set_threshold(*threshold)
