"""Opens a page in headless Chromium and watches it, for the tests of pages that change after
they load (--dump-dom only sees a page as it loaded).

    follow_page.py CHROMIUM URL CONDITION OUTPUT

Drives the browser over the DevTools protocol on a pipe (no port to find or to leave open):
prints "ready" once the page has drawn itself, waits until the JavaScript expression CONDITION
is true in the page, then writes the page's DOM to OUTPUT. Exits 1 if CONDITION stays false
for a minute, after writing the DOM as it was.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

chromium, url, condition, output = sys.argv[1:5]

# The browser reads commands on its descriptor 3 and writes replies on 4, each a JSON text
# ended by a NUL byte.
commands_read, commands_write = os.pipe()
replies_read, replies_write = os.pipe()


def give_the_browser_its_pipes():
    os.dup2(commands_read, 3)
    os.dup2(replies_write, 4)


profile = tempfile.mkdtemp(prefix="annals-follow-")
browser = subprocess.Popen(
    [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
     "--hide-scrollbars", f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    preexec_fn=give_the_browser_its_pipes, pass_fds=(3, 4, commands_read, replies_write))
os.close(commands_read)
os.close(replies_write)

last_id = 0
pending = b""


def receive():
    global pending
    while b"\0" not in pending:
        chunk = os.read(replies_read, 1 << 16)
        if not chunk:
            raise SystemExit("the browser closed its pipe")
        pending += chunk
    message, pending = pending.split(b"\0", 1)
    return json.loads(message)


def send(method, params=None, session=None):
    global last_id
    last_id += 1
    message = {"id": last_id, "method": method, "params": params or {}}
    if session:
        message["sessionId"] = session
    os.write(commands_write, json.dumps(message).encode() + b"\0")
    while True:
        reply = receive()
        if reply.get("id") == last_id:
            if "error" in reply:
                raise SystemExit(f"{method}: {reply['error']}")
            return reply["result"]


def evaluate(expression):
    result = send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
    return result["result"].get("value")


def wait_until(expression, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if evaluate(f"Boolean({expression})"):
            return True
        time.sleep(0.1)
    return False


try:
    target = send("Target.createTarget", {"url": url})["targetId"]
    session = send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    if not wait_until("document.body && document.body.hasAttribute('data-first-render-ms')"):
        raise SystemExit("the page never drew itself")
    print("ready", flush=True)
    met = wait_until(condition)
    with open(output, "w", encoding="utf-8") as dom:
        dom.write(evaluate("document.documentElement.outerHTML"))
    if not met:
        raise SystemExit(f"still false after a minute: {condition}")
finally:
    try:
        send("Browser.close")
    except BaseException:
        pass
    try:
        browser.wait(timeout=10)
    except subprocess.TimeoutExpired:
        browser.kill()
    shutil.rmtree(profile, ignore_errors=True)
