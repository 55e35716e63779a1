/**
 * LendOS: Post Release Report to the Release PR — the journal's report as a comment on the release PR, one per
 * release, replaced in place when posted again. It says where it will post and asks before it does.
 */
import { UserError } from '../../core/errors.js';
import { isDevFlow, NO_RELEASE_PR } from '../../core/flows.js';
import * as vscode from 'vscode';
import { neutralise } from '../../core/text.js';
import type { ScriptedAnswers } from '../../engine/scripted-prompt.js';
import type { ReleaseSession } from '../session.js';
import type { GitHubAccess } from './preflight.js';
import { announceOnGitHub, confirmUnlessScripted, report, requireActive, type CommandResult } from './shared.js';

export function postReleaseReport(session: ReleaseSession, github: () => Promise<GitHubAccess>, mode: vscode.ExtensionMode) {
  return (answers?: ScriptedAnswers): Promise<CommandResult<string | undefined>> =>
    report(async () => {
      const view = requireActive(session);
      if (isDevFlow(view.version)) throw new UserError(NO_RELEASE_PR);
      const warn = (line: string) => void vscode.window.showWarningMessage(neutralise(line));
      const { gh, lendos } = await github();
      const { reportComment } = await import('../../steps/index.js');
      const pull = await reportComment.releasePullFor(gh, lendos, view.version, view.plan, warn);
      const message = `Post the report of release ${view.version} on PR #${pull.number} in ${lendos.owner}/${lendos.name}?`;
      const detail = 'A report of this release posted there before is replaced, not repeated.';
      if (!(await confirmUnlessScripted(answers, mode, { message, action: 'Post Report', detail }))) return undefined;
      const markdown = await session.service.report(view.version, 'md');
      const posted = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `LendOS: posting the report on PR #${pull.number}` },
        () => reportComment.postReportComment(gh, lendos, pull, view.version, markdown),
      );
      announceOnGitHub(`${reportComment.reportPostSummary(view.version, posted)}.`, posted.url);
      return posted.url;
    });
}
