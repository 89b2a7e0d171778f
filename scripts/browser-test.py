#!/usr/bin/env python3
"""Drives `spark serve` in headless Chromium through Selenium, as an account manager would.

Usage: browser-test.py CASE BASE_URL [ARGS…]; prints one JSON object with what it saw.
Cases:
  upload BASE FILE SCREENSHOT FIELDS_JSON   fill the form, upload, screenshot, press write
  preview BASE FILE SCREENSHOT FIELDS_JSON  fill the form and upload; do not write
  csrf BASE                                  a page of another origin posts the upload form
  token BASE TOKEN                           the page asks for the token once, then serves
The Swift test (ServeBrowserTests) starts the server and checks the answers.
"""
import json, os, sys, time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait


def driver():
    options = Options()
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1400"):
        options.add_argument(a)
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    return webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)


def wait(d):
    """A wait that looks again when the page it looked at was just replaced."""
    return WebDriverWait(d, 30, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))


def fill(d, base, file, fields):
    d.get(base)
    d.find_element(By.NAME, "client").send_keys(fields["client"])
    Select(d.find_element(By.NAME, "platform")).select_by_visible_text(fields["platform"])
    d.find_element(By.NAME, "year").send_keys(fields["year"])
    d.find_element(By.NAME, "wave").send_keys(fields["wave"])
    Select(d.find_element(By.NAME, "table")).select_by_value(fields.get("table", "campaign"))
    d.find_element(By.NAME, "files").send_keys(file)
    d.find_element(By.CSS_SELECTOR, "form#upload button[type=submit]").click()
    wait(d).until(EC.presence_of_element_located((By.TAG_NAME, "h1")))
    wait(d).until(lambda d: "Upload a platform export" not in d.find_element(By.TAG_NAME, "h1").text)


def main():
    case, base = sys.argv[1], sys.argv[2]
    d = driver()
    out = {}
    try:
        if case in ("upload", "preview"):
            file, shot, fields = sys.argv[3], sys.argv[4], json.loads(sys.argv[5])
            form = d.get(base) or d.find_element(By.ID, "upload")
            out["form_names"] = sorted({e.get_attribute("name") for e in form.find_elements(By.CSS_SELECTOR, "input, select, button") if e.get_attribute("name")})
            fill(d, base, file, fields)
            out["heading"] = d.find_element(By.TAG_NAME, "h1").text
            out["html"] = d.page_source
            out["plan"] = d.find_element(By.ID, "plan").text
            out["preview_rows"] = len(d.find_elements(By.CSS_SELECTOR, "table.preview tr")) - 1
            out["inference_rows"] = len(d.find_elements(By.CSS_SELECTOR, "table.inference tr")) - 1
            out["write_buttons"] = len(d.find_elements(By.NAME, "write"))
            d.save_screenshot(shot)
            if case == "upload" and out["write_buttons"]:
                d.find_element(By.NAME, "write").click()
                wait(d).until(lambda d: d.find_element(By.TAG_NAME, "h1").text.startswith(("Wrote", "Nothing", "Refused")))
                out["written"] = d.find_element(By.TAG_NAME, "h1").text
                links = d.find_elements(By.ID, "migration")
                out["migration_link"] = links[0].get_attribute("href") if links else None
        elif case == "csrf":
            # Another origin's page: it can post the form, but cannot read the page's token.
            page = ("<form id=f method=post enctype='multipart/form-data' action='%supload'>"
                    "<input name=client value=byd><input name=platform value=meta><input name=year value=2024>"
                    "<input name=wave value=1><input name=csrf value=guess></form>"
                    "<script>document.getElementById('f').submit()</script>") % base
            d.get("data:text/html;charset=utf-8," + page)
            time.sleep(2)
            out["body"] = d.find_element(By.TAG_NAME, "body").text
        elif case == "token":
            token = sys.argv[3]
            d.get(base)
            out["asked"] = "needs its token" in d.page_source
            d.find_element(By.NAME, "token").send_keys(token)
            d.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
            wait(d).until(lambda d: "Upload a platform export" in d.page_source)
            out["served"] = True
            d.get(base + "files")
            out["files_page"] = "<h1>Files</h1>" in d.page_source
    finally:
        d.quit()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
