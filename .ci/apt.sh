# Sourced by the .ci scripts: apt_install NAME PACKAGE... installs Debian packages as root
# (or through sudo -n), saying what happened under NAME. Returns non-zero when it could not;
# the caller decides what that means.
apt_install() {
    local name="$1"; shift
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo="sudo -n"
        else
            echo "$name: warning: not root and no sudo; cannot install $*" >&2
            return 1
        fi
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "$name: warning: no apt-get; cannot install $*" >&2
        return 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    { $sudo apt-get update -q >/dev/null 2>&1 || true; }
    if ! $sudo apt-get install -y -q --no-install-recommends "$@" >/dev/null 2>&1; then
        echo "$name: warning: apt-get install $* failed" >&2
        return 1
    fi
}
