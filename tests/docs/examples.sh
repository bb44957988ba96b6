# The examples are commands that work: every `$ ` command of kasparro(1)'s
# EXAMPLES (as mandoc renders them) runs, in order, in one shell, against a
# database holding what `make run` leaves (the sample sources loaded, the
# partner's cut export read: tests/lib/lib.sh's sample_held), and so does
# every command of README.md's sh code blocks against a fresh one, `make`
# lines left out (they are the build and this suite). A command exits 0, or
# the status its trailing `# exits N` comment says; the lines printed under
# it in the page are lines of its output (blanks squeezed, `...` standing
# for anything). So an example that rots fails here, naming itself.
#
# `kasparro` is the binary under test (a wrapper on PATH), reading the
# configuration a checkout or an installation would: $KASPARRO_SHARE's
# kasparro.conf. The HTTP examples' 127.0.0.1:8000 is a free port here
# (KASPARRO_HTTP_LISTEN), and their daemon is waited for before a curl and
# stopped at the end. The man page's examples read [http] viewer_keys_env =
# KASPARRO_API_KEY, as their text says; README's add it themselves.
. "$KASPARRO_TOP/tests/lib/lib.sh"

mkdir -p "$T/bin"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$BIN" >"$T/bin/kasparro"
chmod +x "$T/bin/kasparro"
PATH="$T/bin:$PATH"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export KASPARRO_HTTP_LISTEN="127.0.0.1:$port"
BGPIDS=""
at_exit 'for p in $BGPIDS; do kill $p 2>/dev/null; done'

# extract man|readme DIR FILE: the commands of FILE, kasparro(1) as rendered
# (its EXAMPLES) or README.md (its sh blocks), one folder per command in DIR
# (cmd, rc: the exit status it documents, out: the lines shown under it)
extract() {
	python3 - "$1" "$2" "$3" <<-'PY'
		import os, re, sys
		kind, dest = sys.argv[1], sys.argv[2]
		lines = open(sys.argv[3]).read().split("\n")
		examples = []  # [command lines, output lines]
		if kind == "man":
		    # a command, then "> " lines that continue it (a shell's PS2),
		    # then its output: lines indented as it is, up to a blank line
		    # or prose
		    start, indent, cur = lines.index("EXAMPLES"), None, None
		    for l in lines[start + 1:]:
		        if re.match(r"^[A-Z]", l):
		            break
		        t, lead = l.strip(), len(l) - len(l.lstrip())
		        if t.startswith("$ "):
		            cur, indent = [[t[2:]], []], lead
		            examples.append(cur)
		        elif cur and t and lead == indent and t.startswith("> ") and not cur[1]:
		            cur[0].append(l[lead + 2:])
		        elif cur and t and lead >= indent:
		            cur[1].append(t)
		        else:
		            cur = None
		else:
		    block, more = False, False
		    for l in lines:
		        if l.startswith("```"):
		            block = l.strip() == "```sh"
		            continue
		        if block and more:  # a pipe or a backslash goes on
		            examples[-1][0].append(l)
		        elif block and l.strip() and not l.startswith(("make ", " ", "\t")):
		            # its comment is prose, unless it names an exit status
		            cmd = l if re.search(r"#\s*exits \d+\s*$", l) else re.sub(r"\s+# [^'\"]*$", "", l)
		            examples.append([[cmd], []])
		        else:
		            continue
		        more = l.rstrip().endswith(("|", "\\"))
		for i, (cmd, out) in enumerate(examples):
		    d = os.path.join(dest, "%03d" % i)
		    os.makedirs(d)
		    text = "\n".join(cmd)
		    m = re.search(r"#\s*exits (\d+)\s*$", text)
		    open(os.path.join(d, "cmd"), "w").write(text + "\n")
		    open(os.path.join(d, "rc"), "w").write((m.group(1) if m else "0") + "\n")
		    open(os.path.join(d, "out"), "w").write("".join(o + "\n" for o in out))
	PY
}

# missing_lines EXPECTED ACTUAL: the expected lines no actual line matches
missing_lines() {
	python3 - "$1" "$2" <<-'PY'
		import re, sys
		squeeze = lambda s: " ".join(s.split())
		actual = [squeeze(l) for l in open(sys.argv[2], errors="replace")]
		for e in open(sys.argv[1]):
		    e = squeeze(e)
		    parts = re.split(r"\s*\.\.\.\s*", e)
		    pat = re.compile(".*".join(re.escape(p) for p in parts) + r"\Z")
		    if not any(pat.match(a) for a in actual):
		        print(e)
	PY
}

# run_examples DIR WHAT: each command in order, in this shell (a variable
# one sets is there for the next)
run_examples() {
	for d in "$1"/*; do
		cmd=$(sed "s/127\.0\.0\.1:8000/127.0.0.1:$port/g" "$d/cmd")
		want=$(cat "$d/rc")
		# TAP wants a line; dash's echo would read a backslash
		what="$2: \$ $(head -n 1 "$d/cmd" | tr -d '\\' | cut -c 1-72)"
		case "$cmd" in *curl*)
			wait_for "$2: the daemon answers on $KASPARRO_HTTP_LISTEN" 60 \
				curl -s -o /dev/null "http://127.0.0.1:$port/health" ;;
		esac
		case "$cmd" in *"&")
			eval "$cmd" >"$d/actual" 2>&1
			BGPIDS="$BGPIDS $!"
			ok "$what (started)"
			continue ;;
		esac
		eval "$cmd" >"$d/actual" 2>&1
		rc=$?
		if [ "$rc" -ne "$want" ]; then
			not_ok "$what exits $want" "exit $rc" "$(tail -n 20 "$d/actual")"
			continue
		fi
		missing=$(missing_lines "$d/out" "$d/actual")
		if [ -z "$missing" ]; then ok "$what exits $want, prints what it shows"; else
			not_ok "$what prints what it shows" "not in its output: $missing" \
				"$(head -c 3000 "$d/actual")"
		fi
	done
}

stop_background() {
	for p in $BGPIDS; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	BGPIDS=""
}

# The manual: what `make run` leaves, then the examples in the config's folder.
new_db
sample_held
printf '[http]\nviewer_keys_env = KASPARRO_API_KEY\n' >>"$CONF"
export KASPARRO_SHARE="$T/share"
mkdir "$T/man"
mandoc -Tutf8 "$TOP/man/kasparro.1" | col -bx >"$T/man.txt"
extract man "$T/man" "$T/man.txt"
n=$(ls "$T/man" | wc -l)
[ "$n" -ge 20 ] && ok "kasparro(1) EXAMPLES has $n commands" ||
	not_ok "kasparro(1) EXAMPLES has commands" "found $n"
cd "$T/share" || exit 1
run_examples "$T/man" "kasparro(1)"
stop_background

# README: a fresh database and a checkout's layout (./kasparro, share/kasparro).
new_db _readme
unset KASPARRO_API_KEY
mkdir -p "$T/co/share"
cp -R "$TOP/share/kasparro" "$T/co/share/kasparro"
sed -i 's|^cron = .*|cron = 0 3 29 2 *|' "$T/co/share/kasparro/kasparro.conf"
cp "$T/bin/kasparro" "$T/co/kasparro"
export KASPARRO_SHARE="$T/co/share/kasparro"
mkdir "$T/readme"
extract readme "$T/readme" "$TOP/README.md"
n=$(ls "$T/readme" | wc -l)
[ "$n" -ge 8 ] && ok "README.md's sh blocks have $n commands" ||
	not_ok "README.md's sh blocks have commands" "found $n"
# README shows no output, but says what two commands do: a bare `kasparro`
# is the console on a terminal (here, off one, its usage says so, exit 2),
# and the curl with the key gets the health report, not a 401.
for d in "$T/readme"/*; do
	case "$(cat "$d/cmd")" in
	kasparro)
		echo 2 >"$d/rc"
		echo "... (on a terminal: the console)" >"$d/out" ;;
	curl*/health)
		echo '..."uptime_seconds":...' >"$d/out" ;;
	esac
done
cd "$T/co" || exit 1
run_examples "$T/readme" "README.md"
stop_background
# and once more, as a reader who tries again would: the same commands work
# on what the first try left
run_examples "$T/readme" "README.md, again"
stop_background
cd "$TOP" || exit 1
