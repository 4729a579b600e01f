{{/*
Chart name, cut to 63 characters (the DNS label limit).
*/}}
{{- define "store.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Full name prefix of every resource: <release>-<chart>, or the release name alone when
it already contains the chart name; cut to 63 characters.
*/}}
{{- define "store.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Name of one component's resources: <fullname>-<component>, cut to 63 characters.
Usage: include "store.componentName" (list . "backend")
*/}}
{{- define "store.componentName" -}}
{{- $root := index . 0 }}
{{- $suffix := printf "-%s" (index . 1) }}
{{- printf "%s%s" (include "store.fullname" $root | trunc (sub 63 (len $suffix) | int) | trimSuffix "-") $suffix }}
{{- end }}

{{/*
Name of a Job of this release revision: <fullname>-<job>-r<revision>. A new name per
revision runs the Job once per release and never trips over Job immutability.
Usage: include "store.jobName" (list . "bootstrap")
*/}}
{{- define "store.jobName" -}}
{{- $root := index . 0 }}
{{- $suffix := printf "-%s-r%d" (index . 1) ($root.Release.Revision | int) }}
{{- printf "%s%s" (include "store.fullname" $root | trunc (sub 63 (len $suffix) | int) | trimSuffix "-") $suffix }}
{{- end }}

{{/*
Chart name and version, as used by the helm.sh/chart label.
*/}}
{{- define "store.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels on every resource.
*/}}
{{- define "store.labels" -}}
helm.sh/chart: {{ include "store.chart" . }}
{{ include "store.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: storefleet
{{- end }}

{{/*
Labels that select the release's pods; the instance is the store name.
*/}}
{{- define "store.selectorLabels" -}}
app.kubernetes.io/name: {{ include "store.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels of one component's resources.
Usage: include "store.componentLabels" (list . "backend")
*/}}
{{- define "store.componentLabels" -}}
{{ include "store.labels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/*
Labels that select one component's pods.
Usage: include "store.componentSelectorLabels" (list . "backend")
*/}}
{{- define "store.componentSelectorLabels" -}}
{{ include "store.selectorLabels" (index . 0) }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end }}

{{/*
The selected plan's sizes; fails early on a plan the table does not have.
*/}}
{{- define "store.plan" -}}
{{- $plan := index .Values.plans .Values.plan }}
{{- if not $plan }}
{{- fail (printf "plan %q is not one of: %s" .Values.plan (keys .Values.plans | sortAlpha | join ", ")) }}
{{- end }}
{{- toYaml $plan }}
{{- end }}

{{/*
Image reference of one entry of .Values.images; quote it where it is used (the schema
checks both parts, the quote keeps any value a single YAML string).
Usage: include "store.image" .Values.images.backend | quote
*/}}
{{- define "store.image" -}}
{{- printf "%s:%s" .repository .tag }}
{{- end }}

{{/*
Service names other components connect to.
*/}}
{{- define "store.backendServiceName" -}}
{{- include "store.componentName" (list . "backend") }}
{{- end }}
{{- define "store.postgresqlServiceName" -}}
{{- include "store.componentName" (list . "postgresql") }}
{{- end }}
{{- define "store.redisServiceName" -}}
{{- include "store.componentName" (list . "redis") }}
{{- end }}

{{/*
The store's public origin, scheme://host: the storefront, the API and the admin share it.
*/}}
{{- define "store.origin" -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.expose.tls) .Values.expose.host }}
{{- end }}

{{/*
Path prefixes the Medusa backend serves on the store's origin; the rest is the
storefront's.
*/}}
{{- define "store.backendPaths" -}}
- /store
- /admin
- /auth
- /app
- /static
- /hooks
{{- end }}

{{/*
Pod-level security context: PodSecurity "restricted". uid 1000 for the store images,
999 for the official postgres and redis images.
Usage: include "store.podSecurityContext" 1000
*/}}
{{- define "store.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ . }}
runAsGroup: {{ . }}
fsGroup: {{ . }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
Container-level security context: PodSecurity "restricted" with a read-only root
filesystem (writable paths are emptyDir or persistent volumes).
*/}}
{{- define "store.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/*
The database connection, all the backup, restore and schema-check Jobs get. DATABASE_URL
expands $(POSTGRES_PASSWORD), so POSTGRES_PASSWORD comes first; the store role
generates a URL-safe password.
*/}}
{{- define "store.databaseEnv" -}}
- name: POSTGRES_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.credentials.existingSecret }}
      key: postgres-password
- name: DATABASE_URL
  value: {{ printf "postgres://%s:$(POSTGRES_PASSWORD)@%s:5432/%s" .Values.postgresql.username (include "store.postgresqlServiceName" .) .Values.postgresql.database | quote }}
{{- end }}

{{/*
Environment of every Medusa process (server, worker, bootstrap, admin).
*/}}
{{- define "store.medusaEnv" -}}
{{- $origin := include "store.origin" . }}
{{- include "store.databaseEnv" . }}
- name: REDIS_URL
  value: {{ printf "redis://%s:6379" (include "store.redisServiceName" .) | quote }}
- name: JWT_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.credentials.existingSecret }}
      key: jwt-secret
- name: COOKIE_SECRET
  valueFrom:
    secretKeyRef:
      name: {{ .Values.credentials.existingSecret }}
      key: cookie-secret
- name: STORE_CORS
  value: {{ $origin | quote }}
- name: ADMIN_CORS
  value: {{ $origin | quote }}
- name: AUTH_CORS
  value: {{ $origin | quote }}
- name: MEDUSA_PUBLIC_URL
  value: {{ $origin | quote }}
- name: MEDUSA_COOKIE_SECURE
  value: {{ .Values.medusa.cookieSecure | toString | quote }}
- name: PORT
  value: "9000"
{{- end }}
