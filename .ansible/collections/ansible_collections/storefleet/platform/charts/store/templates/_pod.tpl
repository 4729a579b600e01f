{{/*
What every pod of the store shares: the pull secrets, the node selection and
tolerations, and the PodSecurity "restricted" pod security context for the image's user.
Usage: include "store.podSpecCommon" (list . 1000)
*/}}
{{- define "store.podSpecCommon" -}}
{{- $root := index . 0 }}
{{- $spec := dict "securityContext" (include "store.podSecurityContext" (index . 1) | fromYaml) }}
{{- range $key := list "imagePullSecrets" "nodeSelector" "tolerations" }}
{{- with index $root.Values $key }}
{{- $_ := set $spec $key . }}
{{- end }}
{{- end }}
{{- toYaml $spec }}
{{- end }}
