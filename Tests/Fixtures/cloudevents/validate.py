"""Checks every line of a CloudEvents JSON Lines file against cloudevents-1.0.schema.json.

Usage: validate.py FILE. Prints "N events valid" and exits 0, or prints the first line that
is not a valid event (with its number and the schema's complaint) and exits 1. Beyond the
schema it checks what JSON Schema cannot say: Base64 that decodes, a time that is a real
instant, and a JSON value (not a string holding JSON) in data when the content type is JSON.
"""
import base64
import datetime
import json
import pathlib
import sys

import jsonschema

schema = json.loads((pathlib.Path(__file__).parent / "cloudevents-1.0.schema.json").read_text())
validator = jsonschema.Draft202012Validator(schema)
count = 0
with open(sys.argv[1], encoding="utf-8") as lines:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
            validator.validate(event)
            if "data_base64" in event:
                base64.b64decode(event["data_base64"], validate=True)
            if "time" in event:
                datetime.datetime.fromisoformat(event["time"].replace("Z", "+00:00"))
            if event.get("datacontenttype", "application/json").split(";")[0].endswith("json") and isinstance(event.get("data"), str):
                raise ValueError("data holds a string where the content type says JSON")
        except Exception as error:  # one line names the failure, whatever it is
            print(f"line {number}: {str(error).splitlines()[0]}")
            sys.exit(1)
        count += 1
print(f"{count} events valid")
