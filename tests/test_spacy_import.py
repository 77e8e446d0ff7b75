"""spaCy imported without its command line (sitrep.spacy_import), which stays importable."""
import subprocess
import sys


def test_spacy_without_its_command_line_then_with_it():
    code = (
        "import sys\n"
        "from sitrep.spacy_import import import_spacy\n"
        "spacy = import_spacy()\n"
        "assert spacy.blank('en')('Shells hit the town.')[0].text == 'Shells'\n"
        "assert not [m for m in sys.modules if m.startswith('spacy.cli')], 'spacy.cli imported'\n"
        "import spacy.cli\n"
        "assert callable(spacy.cli.download) and callable(spacy.info)\n"
        "assert import_spacy() is spacy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
