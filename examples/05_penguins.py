"""A real CSV with missing cells: the Palmer penguins, on the command line.

The penguins table of the ``palmerpenguins`` package is a file as people
have them: ``NA`` in missing cells, text columns (island, sex), a year
that says nothing about the species. This script splits it into a training
file, a test file and a file of new penguins, then runs the commands a user
would type: ``glassnet train`` (it fills the empty cells from the training
part, with a median or the most frequent category, one-hot encodes the
text and draws the learning curves),
``glassnet evaluate`` on the test file (with its confusion matrix) and
``glassnet predict`` on the new penguins.

    python examples/05_penguins.py [--quick] [--out DIR]
"""

import argparse
import subprocess
import sys
from pathlib import Path

import palmerpenguins
from sklearn.model_selection import train_test_split

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--quick", action="store_true", help="fewer epochs")
parser.add_argument("--out", type=Path, default=Path("."), help="folder for the files and pictures (default: here)")
args = parser.parse_args()
args.out.mkdir(parents=True, exist_ok=True)


def glassnet(*arguments):
    """Run a glassnet command as a user would, and show it with what it printed."""
    print("$ glassnet " + " ".join(arguments))
    done = subprocess.run([sys.executable, "-m", "glassnet", *arguments], cwd=args.out,
                          capture_output=True, text=True)
    print((done.stderr + done.stdout).rstrip() + "\n")
    if done.returncode != 0:
        sys.exit(done.returncode)


# the package's own CSV, read with pandas: 344 penguins, 19 empty cells
table = palmerpenguins.load_penguins()
print(f"{len(table)} penguins, {int(table.isna().sum().sum())} empty cells:\n{table.isna().sum().to_string()}\n")
train, rest = train_test_split(table, test_size=0.3, random_state=0, stratify=table["species"])
test, new = train_test_split(rest, test_size=0.2, random_state=0, stratify=rest["species"])
train.to_csv(args.out / "penguins_train.csv", index=False, na_rep="NA")
test.to_csv(args.out / "penguins_test.csv", index=False, na_rep="NA")
new.drop(columns="species").to_csv(args.out / "penguins_new.csv", index=False, na_rep="NA")

epochs = "200" if args.quick else "300"
glassnet("train", "penguins_train.csv", "--target", "species", "--ignore", "year", "-o", "penguins.glassnet",
         "--hidden", "16", "--epochs", epochs, "--plot", "penguins_curves.png")
glassnet("evaluate", "penguins.glassnet", "penguins_test.csv", "--plot", "penguins_confusion.png")
glassnet("predict", "penguins.glassnet", "penguins_new.csv", "-o", "predictions.csv")
print("".join((args.out / "predictions.csv").read_text().splitlines(keepends=True)[:4]))
