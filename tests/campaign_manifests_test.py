#!/usr/bin/env python3
"""The campaign manifests in examples/campaigns/ parse, are wired as a sharded campaign, and their
explore and merge commands work.

    campaign_manifests_test.py EXAMPLES_DIR WVSIM

No YAML library is a dependency of wvsim (CI's python3 has none), so the files are read with the
small, strict reader below: it knows the subset of YAML they use (block mappings and sequences,
plain and quoted scalars, flow sequences of scalars, literal blocks `|`, comments, `---`) and
refuses anything else with the line, so a manifest that drifts outside it fails loudly. When
PyYAML is installed the test also checks that it reads every file the same way.

Then the structure: the GitHub Actions workflow's matrix runs every shard index once, each shard
job runs `wvsim explore --shard $SHARD/$SHARDS` (SHARD from the matrix) and uploads its --out
folder, and the merge job downloads them all and runs `wvsim merge`; the Kubernetes Job is an
Indexed Job whose completions equal SHARDS, whose pods give JOB_COMPLETION_INDEX to --shard and
write to the shared volume the merge Job reads. Last, the commands themselves run, with wvsim as
built and a short budget: every shard's script, then the merge's, whose report must hold the
scenarios.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

EXAMPLES = None  # examples/campaigns, from the command line
WVSIM = None  # the built wvsim binary


class YamlError(Exception):
    pass


class MiniYaml:
    """A reader of the YAML subset above. load_all(text) -> a list of documents."""

    PLAIN_INT = re.compile(r"-?(0|[1-9][0-9]*)$")

    def __init__(self, text, name):
        self.name = name
        self.lines = text.split("\n")

    def error(self, number, what):
        return YamlError("%s:%d: %s" % (self.name, number + 1, what))

    @staticmethod
    def strip_comment(line):
        """The line without a comment; a '#' starts one at the line's start or after a space,
        outside quotes."""
        quote = None
        for i, c in enumerate(line):
            if quote:
                if c == quote:
                    quote = None
            elif c in "'\"" and (i == 0 or line[i - 1] in " [,:-"):
                quote = c
            elif c == "#" and (i == 0 or line[i - 1] == " "):
                return line[:i].rstrip()
        return line.rstrip()

    def load_all(self):
        documents, start = [], 0
        for number, line in enumerate(self.lines + ["---"]):
            if line.rstrip() == "---":
                self.rows = []  # (line number, indent, text) of the document's content lines
                for n in range(start, number):
                    if "\t" in self.lines[n][: len(self.lines[n]) - len(self.lines[n].lstrip())]:
                        raise self.error(n, "a tab in the indentation")
                    self.rows.append(n)
                value, end = self.node(0, 0)
                end = self.skip_blank(end)
                if end < len(self.rows):
                    raise self.error(self.rows[end], "unexpected indentation")
                if value is not None:
                    documents.append(value)
                start = number + 1
        return documents

    def text(self, row):
        return self.strip_comment(self.lines[self.rows[row]])

    def indent(self, row):
        line = self.lines[self.rows[row]]
        return len(line) - len(line.lstrip(" "))

    def skip_blank(self, row):
        while row < len(self.rows) and not self.text(row).strip():
            row += 1
        return row

    def node(self, row, indent):
        """The block node starting at `row` whose lines are indented at least `indent`."""
        row = self.skip_blank(row)
        if row >= len(self.rows) or self.indent(row) < indent:
            return None, row
        indent = self.indent(row)
        content = self.text(row).strip()
        if content == "-" or content.startswith("- "):
            return self.sequence(row, indent)
        return self.mapping(row, indent, self.text(row))

    def sequence(self, row, indent):
        items = []
        while row < len(self.rows):
            row = self.skip_blank(row)
            if row >= len(self.rows) or self.indent(row) != indent:
                break
            line = self.text(row)
            if not (line.strip() == "-" or line.strip().startswith("- ")):
                break
            rest = line[indent + 1 :]
            if not rest.strip():
                value, row = self.node(row + 1, indent + 1)
                items.append(value)
                continue
            column = indent + 1 + (len(rest) - len(rest.lstrip(" ")))
            if self.is_mapping_entry(rest.strip()):
                # "- key: value" opens a mapping whose keys line up with `key`.
                value, row = self.mapping(row, column, " " * column + rest.strip())
            else:
                value, row = self.value(row, indent, rest.strip())
            items.append(value)
        return items, row

    @staticmethod
    def split_entry(text):
        """(key, rest) when `text` is "key: ..." or "key:", else None."""
        if text[:1] in "'\"":
            end = text.find(text[0], 1)
            if end > 0 and text[end + 1 : end + 2] == ":" and text[end + 2 : end + 3] in ("", " "):
                return text[1:end], text[end + 2 :].strip()
            return None
        match = re.match(r"([A-Za-z0-9_.$/-][^:]*?):( |$)", text)
        if not match:
            return None
        return match.group(1), text[match.end() :].strip()

    def is_mapping_entry(self, text):
        return self.split_entry(text) is not None and not text.startswith(("[", "{"))

    def mapping(self, row, indent, first_line):
        result = {}
        line = first_line
        while True:
            entry = self.split_entry(line.strip())
            if entry is None:
                raise self.error(self.rows[row], "expected 'key: value'")
            key, rest = entry
            if key in result:
                raise self.error(self.rows[row], "key '%s' given twice" % key)
            if rest:
                result[key], row = self.value(row, indent, rest)
            else:
                # The value is the block below: more indented, or a sequence at the same indent.
                nxt = self.skip_blank(row + 1)
                if nxt < len(self.rows) and self.indent(nxt) == indent and (
                    self.text(nxt).strip().startswith("- ") or self.text(nxt).strip() == "-"
                ):
                    result[key], row = self.sequence(nxt, indent)
                else:
                    result[key], row = self.node(row + 1, indent + 1)
            row = self.skip_blank(row)
            if row >= len(self.rows) or self.indent(row) != indent:
                return result, row
            line = self.text(row)
            if line.strip().startswith("- "):
                return result, row

    def value(self, row, indent, text):
        """The scalar, flow sequence or literal block `text` that starts on `row`."""
        if text in ("|", "|-"):
            return self.literal(row, indent, keep_newline=(text == "|"))
        if text[0] in "&*!>{?%@`":
            raise self.error(self.rows[row], "YAML outside this reader's subset: %r" % text)
        if text.startswith("["):
            if not text.endswith("]"):
                raise self.error(self.rows[row], "a flow sequence must end on its line")
            inner = text[1:-1].strip()
            parts = [p.strip() for p in re.findall(r'"[^"]*"|\'[^\']*\'|[^,]+', inner)]
            return [self.scalar(row, p) for p in parts if p], row + 1
        return self.scalar(row, text), row + 1

    def literal(self, row, indent, keep_newline):
        lines, row = [], row + 1
        block_indent = None
        while row < len(self.rows):
            raw = self.lines[self.rows[row]]
            if raw.strip():
                here = len(raw) - len(raw.lstrip(" "))
                if here <= indent:
                    break
                if block_indent is None:
                    block_indent = here
                if here < block_indent:
                    raise self.error(self.rows[row], "a literal block's line is less indented")
                lines.append(raw[block_indent:].rstrip(" "))
            else:
                lines.append("")
            row += 1
        while lines and not lines[-1]:
            lines.pop()
        return "\n".join(lines) + ("\n" if keep_newline and lines else ""), row

    def scalar(self, row, text):
        if text[0] == '"':
            if not text.endswith('"') or len(text) < 2:
                raise self.error(self.rows[row], "a double-quoted string must end on its line")
            body = text[1:-1]
            if re.search(r'\\[^"\\n]', body):
                raise self.error(self.rows[row], "an escape outside this reader's subset")
            return body.replace("\\n", "\n").replace('\\"', '"').replace("\\\\", "\\")
        if text[0] == "'":
            if not text.endswith("'") or len(text) < 2:
                raise self.error(self.rows[row], "a single-quoted string must end on its line")
            return text[1:-1].replace("''", "'")
        if text[0] in "&*!|>{[?%@`" or ": " in text:
            raise self.error(self.rows[row], "YAML outside this reader's subset: %r" % text)
        if self.PLAIN_INT.match(text):
            return int(text)
        if text in ("true", "false"):
            return text == "true"
        if text in ("null", "~"):
            return None
        return text


def load(name):
    with open(os.path.join(EXAMPLES, name), encoding="utf-8") as f:
        text = f.read()
    documents = MiniYaml(text, name).load_all()
    try:
        import yaml  # optional: a second opinion when the machine has PyYAML
    except ImportError:
        return documents

    def normalise(value):  # YAML 1.1 reads the key `on` as True; GitHub reads it as "on"
        if isinstance(value, dict):
            return {("on" if k is True else k): normalise(v) for k, v in value.items()}
        if isinstance(value, list):
            return [normalise(v) for v in value]
        return value

    theirs = [normalise(d) for d in yaml.safe_load_all(text) if d is not None]
    assert theirs == documents, "%s: PyYAML reads it differently:\n%s\n%s" % (
        name,
        json.dumps(theirs, indent=1),
        json.dumps(documents, indent=1),
    )
    return documents


def run_script(script, env, cwd):
    """Runs a step's shell script as the runners do (sh -e), with wvsim on the PATH."""
    full_env = dict(os.environ)
    full_env.update({k: str(v) for k, v in env.items()})
    full_env["PATH"] = os.path.dirname(os.path.abspath(WVSIM)) + os.pathsep + full_env["PATH"]
    return subprocess.run(
        ["sh", "-e", "-c", script], env=full_env, cwd=cwd, capture_output=True, text=True
    )


# A short campaign for the real runs: two scenarios, one clean, one with a bug found at once.
QUICK = {"SCENARIOS": "sim.counter sim.abba", "BUDGET": "0.2"}


def check_merged(test, merged_dir):
    with open(os.path.join(merged_dir, "explore.json"), encoding="utf-8") as f:
        report = json.load(f)
    test.assertEqual([s["id"] for s in report["scenarios"]], ["sim.counter", "sim.abba"])
    test.assertEqual([s["verdict"] for s in report["scenarios"]], ["clean", "deadlock"])
    test.assertTrue(os.path.exists(os.path.join(merged_dir, "junit.xml")))
    test.assertTrue(any(n.endswith(".schedule") for n in os.listdir(merged_dir)))


class MiniYamlTest(unittest.TestCase):
    def test_reads_the_subset(self):
        text = (
            "a: 1  # comment\nb: 'x # y'\nc: [0, \"1\", two]\nd:\n  - e: f\n    g: |\n"
            "      line 1\n        line 2\n  - plain text\ne:\n- 3\n---\nk: v\n"
        )
        self.assertEqual(
            MiniYaml(text, "t").load_all(),
            [
                {
                    "a": 1,
                    "b": "x # y",
                    "c": [0, "1", "two"],
                    "d": [{"e": "f", "g": "line 1\n  line 2\n"}, "plain text"],
                    "e": [3],
                },
                {"k": "v"},
            ],
        )

    def test_refuses_what_it_does_not_know(self):
        for text in ("a: &x 1\n", "a: *x\n", "a: {b: c}\n", "a: 1\na: 2\n", "a: >\n  b\n", "a\n"):
            with self.assertRaises(YamlError, msg=text):
                MiniYaml(text, "t").load_all()


class GithubActionsTest(unittest.TestCase):
    def setUp(self):
        (self.workflow,) = load("github-actions-campaign.yml")
        self.jobs = self.workflow["jobs"]

    def step_running(self, job, command):
        steps = [s for s in self.jobs[job]["steps"] if command in s.get("run", "")]
        self.assertEqual(len(steps), 1, "one step of %s runs %r" % (job, command))
        return steps[0]

    def test_matrix_runs_every_shard_once(self):
        shards = self.workflow["env"]["SHARDS"]
        explore = self.jobs["explore"]
        self.assertEqual(explore["strategy"]["matrix"]["shard"], list(range(shards)))
        self.assertFalse(explore["strategy"]["fail-fast"])
        self.assertEqual(explore["env"]["SHARD"], "${{ matrix.shard }}")
        script = self.step_running("explore", "wvsim explore")["run"]
        self.assertIn('--shard "$SHARD/$SHARDS"', script)
        self.assertIn('--out "out/shard-$SHARD"', script)
        self.assertIn('--seed "$SEED"', script)
        uploads = [s for s in explore["steps"] if s.get("uses", "").startswith("actions/upload-")]
        self.assertEqual(len(uploads), 1)
        self.assertEqual(uploads[0]["with"]["name"], "shard-${{ matrix.shard }}")
        self.assertEqual(uploads[0]["with"]["path"], "out/shard-${{ matrix.shard }}")
        self.assertEqual(uploads[0]["if"], "always()")

    def test_merge_job_downloads_every_shard_and_merges(self):
        merge = self.jobs["merge"]
        self.assertEqual(merge["needs"], "explore")
        self.assertEqual(merge["if"], "always()")
        downloads = [s["with"] for s in merge["steps"] if "download-artifact" in s.get("uses", "")]
        self.assertIn({"pattern": "shard-*", "path": "shards"}, downloads)
        script = self.step_running("merge", "wvsim merge")["run"]
        self.assertIn("bin/wvsim merge out/merged shards/shard-*", script)
        self.assertEqual(self.jobs["explore"]["needs"], "build")

    def test_steps_run(self):
        """The shard steps for every matrix value, then the merge step, as the runners would."""
        env = {k: v for k, v in self.workflow["env"].items()}
        env.update(QUICK)
        work = tempfile.mkdtemp(prefix="wvsim_gha_")
        try:
            os.makedirs(os.path.join(work, "bin"))
            shutil.copy(WVSIM, os.path.join(work, "bin", "wvsim"))  # the downloaded artifact
            explore = self.step_running("explore", "wvsim explore")["run"]
            for shard in self.jobs["explore"]["strategy"]["matrix"]["shard"]:
                result = run_script(explore, dict(env, SHARD=shard), work)
                self.assertEqual(result.returncode, 0, result.stderr)
                out = os.path.join(work, "out", "shard-%d" % shard)
                for name in ("campaign.json", "junit.xml", "explore.json"):
                    self.assertTrue(os.path.exists(os.path.join(out, name)), name)
                # upload-artifact shard-N, then download-artifact into shards/shard-N
                shutil.copytree(out, os.path.join(work, "shards", "shard-%d" % shard))
            merge = self.step_running("merge", "wvsim merge")["run"]
            result = run_script(merge, env, work)
            self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
            check_merged(self, os.path.join(work, "out", "merged"))
        finally:
            shutil.rmtree(work)


class KubernetesTest(unittest.TestCase):
    def setUp(self):
        documents = load("kubernetes-campaign.yaml")
        self.claim = [d for d in documents if d["kind"] == "PersistentVolumeClaim"][0]
        self.job = [d for d in documents if d["kind"] == "Job"][0]
        (self.merge,) = load("kubernetes-merge.yaml")

    @staticmethod
    def container(job):
        (container,) = job["spec"]["template"]["spec"]["containers"]
        return container, {e["name"]: e["value"] for e in container["env"]}

    def check_volume(self, job, container, env):
        pod = job["spec"]["template"]["spec"]
        (mount,) = container["volumeMounts"]
        (volume,) = pod["volumes"]
        self.assertEqual(mount["name"], volume["name"])
        self.assertEqual(mount["mountPath"], env["CAMPAIGN_DIR"])
        claim = volume["persistentVolumeClaim"]["claimName"]
        self.assertEqual(claim, self.claim["metadata"]["name"])
        self.assertEqual(pod["restartPolicy"], "Never")

    def test_indexed_job_gives_each_pod_its_shard(self):
        spec = self.job["spec"]
        container, env = self.container(self.job)
        self.assertEqual(spec["completionMode"], "Indexed")
        self.assertEqual(spec["completions"], int(env["SHARDS"]))
        self.assertEqual(spec["parallelism"], spec["completions"])
        self.assertEqual(container["command"], ["/bin/sh", "-c"])
        (script,) = container["args"]
        self.assertIn("wvsim explore", script)
        self.assertIn('--shard "$JOB_COMPLETION_INDEX/$SHARDS"', script)
        self.assertIn('out="$CAMPAIGN_DIR/shard-$JOB_COMPLETION_INDEX"', script)
        self.assertIn("ReadWriteMany", self.claim["spec"]["accessModes"])
        self.check_volume(self.job, container, env)
        rule = spec["podFailurePolicy"]["rules"][0]
        self.assertEqual((rule["action"], rule["onExitCodes"]["values"]), ("FailJob", [2]))
        self.assertEqual(rule["onExitCodes"]["containerName"], container["name"])

    def test_merge_job_reads_the_same_volume(self):
        container, env = self.container(self.merge)
        self.check_volume(self.merge, container, env)
        (script,) = container["args"]
        self.assertIn('wvsim merge "$CAMPAIGN_DIR/merged" "$CAMPAIGN_DIR"/shard-*', script)

    def test_pods_run(self):
        """Every index's pod command, then the merge pod's, on a folder standing for the volume."""
        _, env = self.container(self.job)
        (explore,) = self.container(self.job)[0]["args"]
        (merge,) = self.container(self.merge)[0]["args"]
        volume = tempfile.mkdtemp(prefix="wvsim_k8s_")
        try:
            env = dict(env, CAMPAIGN_DIR=volume, **QUICK)
            for index in range(self.job["spec"]["completions"]):
                result = run_script(explore, dict(env, JOB_COMPLETION_INDEX=index), volume)
                self.assertEqual(result.returncode, 0, result.stderr)
            result = run_script(merge, {"CAMPAIGN_DIR": volume}, volume)
            self.assertEqual(result.returncode, 0, result.stderr + result.stdout)
            check_merged(self, os.path.join(volume, "merged"))
        finally:
            shutil.rmtree(volume)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: campaign_manifests_test.py EXAMPLES_DIR WVSIM [unittest arguments]")
    EXAMPLES, WVSIM = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1] + sys.argv[3:], verbosity=2)
