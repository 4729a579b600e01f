{{/*
What every pod of the store shares: the pull secrets, the tolerations and the
PodSecurity "restricted" pod security context for the image's user.
Usage: include "store.podSpecCommon" (list . 1000)
*/}}
{{- define "store.podSpecCommon" -}}
{{- $root := index . 0 }}
{{- $spec := dict "securityContext" (include "store.podSecurityContext" (index . 1) | fromYaml) }}
{{- with $root.Values.imagePullSecrets }}
{{- $_ := set $spec "imagePullSecrets" . }}
{{- end }}
{{- with $root.Values.tolerations }}
{{- $_ := set $spec "tolerations" . }}
{{- end }}
{{- toYaml $spec }}
{{- end }}
