"""The first extraction in a process is slow because spaCy and its model load: the logger
`sitrep` says so, once, and how long it took."""
import logging
import subprocess
import sys


def test_loading_the_model_is_said_once_at_info():
    # a fresh process: this one may have loaded the model already
    code = ("import logging, sitrep\n"
            "logging.basicConfig(level=logging.INFO, format='%(name)s %(levelname)s %(message)s')\n"
            "sitrep.extract('Shelling killed two civilians in Aleppo on Friday.', published='2017-10-07')\n"
            "sitrep.extract('An air strike killed five fighters in Raqqa.', published='2017-08-23')\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    lines = [line for line in p.stderr.splitlines() if line.startswith("sitrep INFO")]
    assert len([line for line in lines if "loading spaCy" in line]) == 1, p.stderr
    assert any(line.startswith("sitrep INFO spaCy model loaded in ") for line in lines), p.stderr


def test_nothing_is_printed_when_logging_is_not_set_up(capfd):
    import sitrep
    logging.getLogger("sitrep")  # no handler configured: INFO stays silent
    sitrep.extract("Shelling killed two civilians in Aleppo on Friday.", published="2017-10-07")
    assert capfd.readouterr().err == ""
