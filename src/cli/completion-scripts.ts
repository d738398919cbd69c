/**
 * The completion scripts `tscompose completion bash|zsh` prints. They only relay: on TAB they run
 * `tscompose __complete -- WORDS...` (src/cli/completion.ts decides) and offer what it prints.
 */
export type Shell = 'bash' | 'zsh';

/** The script `tscompose completion SHELL` prints. */
export function completionScript(shell: Shell): string {
  switch (shell) {
    case 'bash':
      return bashScript;
    case 'zsh':
      return zshScript;
  }
}

const bashScript = `# bash completion for tscompose
# Load it now:        source <(tscompose completion bash)
# or for every shell: echo 'source <(tscompose completion bash)' >> ~/.bashrc
_tscompose() {
  local IFS=$'\\n' line
  local -a lines
  lines=($(tscompose __complete -- "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
  COMPREPLY=()
  for line in "\${lines[@]}"; do
    COMPREPLY+=("\${line%%$'\\t'*}")
  done
  return 0
}
# no candidates (a file argument, say): bash completes file names
complete -o default -F _tscompose tscompose
`;

const zshScript = `#compdef tscompose
# zsh completion for tscompose
# Load it now:        source <(tscompose completion zsh)
# or install it:      tscompose completion zsh > "\${fpath[1]}/_tscompose"   (then restart zsh)
_tscompose() {
  local -a lines values shown
  local line
  lines=("\${(@f)$(tscompose __complete -- "\${(@)words[2,CURRENT]}" 2>/dev/null)}")
  for line in "\${lines[@]}"; do
    [[ -z $line ]] && continue
    values+=("\${line%%$'\\t'*}")
    if [[ $line == *$'\\t'* ]]; then
      shown+=("\${line%%$'\\t'*}  -- \${line#*$'\\t'}")
    else
      shown+=("$line")
    fi
  done
  if (( \${#values} )); then
    compadd -l -d shown -a values
  else
    _files
  fi
}
if [[ "\${zsh_eval_context[-1]}" == loadautofunc ]]; then
  _tscompose "$@"
else
  (( $+functions[compdef] )) || { autoload -Uz compinit && compinit; }
  compdef _tscompose tscompose
fi
`;
