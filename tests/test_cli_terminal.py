"""The progress bar on a terminal, and Ctrl-C during ``glassnet train``,
with a real process on a pseudo-terminal and real SIGINTs."""

import os
import re
import signal

import pytest

import glassnet
from cli_helpers import Terminal

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals and SIGINT are POSIX")

LONG_TRAINING = ["train", "--dataset", "digits", "--hidden", "32", "--epochs", "100000", "--batch-size", "64",
                 "--learning-rate", "0.00001"]  # too slow to converge before the interrupt


def test_progress_bar_shows_on_a_terminal_and_quiet_hides_it(tmp_path):
    shown = Terminal("train", "--dataset", "iris", "-o", "m.glassnet", "--epochs", "40", "--hidden", "8", cwd=tmp_path)
    assert shown.wait() == 0
    assert re.search(r"epoch\s+40/40", shown.output) and "loss" in shown.output
    quiet = Terminal("train", "--dataset", "iris", "-o", "q.glassnet", "--epochs", "40", "--hidden", "8", "--quiet",
                     cwd=tmp_path)
    assert quiet.wait() == 0
    assert "epoch" not in quiet.output and quiet.output.strip() == ""


def test_ctrl_c_saves_the_last_completed_epoch_and_exits_130(tmp_path):
    terminal = Terminal(*LONG_TRAINING, "-o", "digits.glassnet", cwd=tmp_path)
    terminal.read_until(r"epoch\s+[1-9]\d*/100000")
    terminal.process.send_signal(signal.SIGINT)
    assert terminal.wait() == 130
    match = re.search(r"interrupted at epoch (\d+) of 100000; model saved to digits\.glassnet", terminal.output)
    assert match, terminal.output[-1500:]
    model = glassnet.load(tmp_path / "digits.glassnet")
    epochs = int(match.group(1))
    assert epochs >= 1
    assert model.estimator.n_iter_ == epochs == len(model.estimator.loss_curve_)
    assert "Traceback" not in terminal.output
    assert sorted(os.listdir(tmp_path)) == ["digits.glassnet"]


def test_a_second_ctrl_c_while_saving_aborts_without_writing(tmp_path, monkeypatch, capsys):
    """The second SIGINT is sent from inside the save, where it must land:
    two signals sent from outside at once merge into one, and apart they
    race with a save that takes milliseconds."""
    from glassnet.cli import main
    from glassnet.persistence import archive

    real_pack = archive.pack

    def pack_then_ctrl_c(*args, **kwargs):
        data = real_pack(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)
        return data

    monkeypatch.setattr(archive, "pack", pack_then_ctrl_c)
    monkeypatch.setattr("glassnet.persistence.pack", pack_then_ctrl_c)

    def first_ctrl_c_during_training(estimator, figures):
        if figures["epoch"] == 3:
            os.kill(os.getpid(), signal.SIGINT)

    from glassnet.tabular import fitting

    real_estimator = fitting._estimator

    def estimator_interrupted_at_epoch_3(options):
        estimator = real_estimator(options)
        estimator.callbacks = [first_ctrl_c_during_training]
        return estimator

    monkeypatch.setattr(fitting, "_estimator", estimator_interrupted_at_epoch_3)
    code = main(["train", "--dataset", "tutorial", "-o", str(tmp_path / "m.glassnet"), "--epochs", "50"])
    assert code == 130
    assert "error: interrupted; nothing was written" in capsys.readouterr().err
    assert os.listdir(tmp_path) == []
