# Copyright: Storefleet maintainers
# Apache License 2.0 (see LICENSE)
"""buildah_build_argv: the buildah command line that builds one catalog image.

The documentation is in buildah_build_argv.yml next to this file.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleFilterError


def buildah_build_argv(image, reference, source_root, local_bases, open_files=0):
    """argv of `buildah bud` for a roles/images catalog entry, tagged `reference`; with
    `open_files`, the build steps may open that many files (buildah's default is 1024)."""
    context = "%s/%s" % (source_root, image["context"])
    if image["builder"] == "ansible-builder":
        context += "/context"
        dockerfile = context + "/Containerfile"
    else:
        dockerfile = "%s/%s" % (context, image.get("dockerfile", "Dockerfile"))
    # --layers keeps each step's result, so an unchanged step is not run again; --format
    # docker keeps the Dockerfiles' SHELL and HEALTHCHECK; --pull=never: the bases are local.
    argv = [
        "buildah",
        "bud",
        "--pull=never",
        "--layers",
        "--format",
        "docker",
        "--tag",
        reference,
        "--file",
        dockerfile,
    ]
    if int(open_files) > 0:
        argv.append("--ulimit=nofile=%d:%d" % (int(open_files), int(open_files)))
    for base in image.get("bases", []):
        if base not in local_bases:
            raise AnsibleFilterError(
                "buildah_build_argv: no local base image %s in images_local_bases" % base
            )
        argv.append("--build-arg=%s=%s" % (local_bases[base]["build_arg"], base))
    argv.append(context)
    return argv


class FilterModule:
    """storefleet.platform image build filters."""

    def filters(self):
        return {"buildah_build_argv": buildah_build_argv}
