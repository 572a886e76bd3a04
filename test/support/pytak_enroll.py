"""PyTAK's own enrollment client (pytak.crypto_classes.CertificateEnrollment), driven by a test.

Usage: pytak_enroll.py HOST USER TOKEN OUTPUT.p12 PASSPHRASE
PyTAK always uses port 8446 and never verifies the server (its trust_all is forced on).
It writes OUTPUT.p12 on success and nothing on failure; this script prints one JSON line:
{"written": true|false}.
Run with Debian's python3 and PYTHONPATH=<peers>/pytak/src.
"""
import asyncio
import json
import os
import sys

from pytak.crypto_classes import CertificateEnrollment


async def main():
    host, user, token, output, passphrase = sys.argv[1:6]
    enrollment = CertificateEnrollment()
    await enrollment.begin_enrollment(domain=host, username=user, password=token, output_path=output, passphrase=passphrase)
    sys.stdout.write(json.dumps({"written": os.path.exists(output)}) + "\n")


if __name__ == "__main__":
    asyncio.run(main())
