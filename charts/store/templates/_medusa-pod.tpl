{{/*
Pod template of the two long-running Medusa Deployments, backend and worker: one image,
one environment, the same probes and volumes; only the command, the worker mode and
the plan's sizes differ.
  backend, shared mode: `server`, MEDUSA_WORKER_MODE=shared (it also runs the jobs)
  backend, split mode:  `server`, MEDUSA_WORKER_MODE=server (it only serves)
  worker (split mode):  `worker`, subscribers, scheduled jobs and workflows only
Usage: include "store.medusaPodTemplate" (list . "backend")
*/}}
{{- define "store.medusaPodTemplate" -}}
{{- $root := index . 0 }}
{{- $component := index . 1 }}
{{- $plan := include "store.plan" $root | fromYaml }}
{{- $command := ternary "worker" "server" (eq $component "worker") }}
{{- $mode := ternary "server" "shared" (eq $root.Values.medusa.workerMode "split") -}}
metadata:
  labels:
    {{- include "store.componentLabels" (list $root $component) | nindent 4 }}
spec:
  automountServiceAccountToken: false
  {{- include "store.podSpecCommon" (list $root 1000) | nindent 2 }}
  # Medusa exits on a database the bootstrap Job has not restored yet: start it once
  # the database is ready rather than let it crash and back off.
  initContainers:
    - name: wait-for-bootstrap
      image: {{ include "store.image" $root.Values.images.backend | quote }}
      imagePullPolicy: {{ $root.Values.images.backend.pullPolicy }}
      args: ["wait-for-bootstrap"]
      env:
        {{- include "store.databaseEnv" $root | nindent 8 }}
      resources:
        {{- toYaml (index $plan $component).resources | nindent 8 }}
      securityContext:
        {{- include "store.containerSecurityContext" $root | nindent 8 }}
  containers:
    - name: {{ $component }}
      image: {{ include "store.image" $root.Values.images.backend | quote }}
      imagePullPolicy: {{ $root.Values.images.backend.pullPolicy }}
      args: [{{ $command | quote }}]
      env:
        {{- include "store.medusaEnv" $root | nindent 8 }}
        - name: MEDUSA_WORKER_MODE
          value: {{ ternary "worker" $mode (eq $component "worker") | quote }}
      ports:
        - name: http
          containerPort: 9000
          protocol: TCP
      # Medusa loads its modules before it listens: give it up to 5 minutes once. A
      # worker serves no API routes but still answers /health.
      startupProbe:
        httpGet: {path: /health, port: http}
        periodSeconds: 2
        failureThreshold: 150
      readinessProbe:
        httpGet: {path: /health, port: http}
        periodSeconds: 10
        timeoutSeconds: 3
      livenessProbe:
        httpGet: {path: /health, port: http}
        periodSeconds: 20
        timeoutSeconds: 5
        failureThreshold: 3
      resources:
        {{- toYaml (index $plan $component).resources | nindent 8 }}
      securityContext:
        {{- include "store.containerSecurityContext" $root | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
        # Medusa's local file provider: admin uploads, and files the worker's jobs write.
        - name: uploads
          mountPath: /app/static
  volumes:
    - name: tmp
      emptyDir: {}
    - name: uploads
      persistentVolumeClaim:
        claimName: {{ include "store.componentName" (list $root "uploads") }}
{{- end }}
