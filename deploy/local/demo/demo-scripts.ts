/**
 * What the demo teaches, for each source of starting knowledge: questions its articles do not answer, each with
 * the answer an agent gives and a rewording a customer might send next; and one question left handed off for the
 * person trying the demo to correct. The answers are invented, like the companies they belong to.
 */
import path from 'node:path';

export interface DemoCorrection {
  question: string;
  answer: string;
  /** Asked again in other words: served from the learned answer once it has been taught. */
  paraphrase: string;
}

export interface DemoScript {
  /** Shown in the workspace name and the printout. */
  name: string;
  /** A folder `npm run import` reads: kb.jsonl or Markdown files. */
  folder: string;
  corrections: DemoCorrection[];
  /** Handed off during seeding; its answer is what the printed correction command teaches. */
  openQuestion: DemoCorrection;
}

/** The banking77 help-centre articles of Northwind Bank (77 articles), when ../shared/datasets is present. */
export function banking77Script(datasetsDir: string): DemoScript {
  return {
    name: 'banking77',
    folder: path.join(datasetsDir, 'banking77'),
    corrections: [
      {
        question: 'Can I open a joint account with my partner?',
        answer: 'Not yet: every Northwind account has a single holder. You can each open your own account and send money to each other instantly, free of charge.',
        paraphrase: 'can I open a joint account with my partner please?',
      },
      {
        question: 'Do you offer an overdraft on my account?',
        answer: 'No. Northwind accounts have no overdraft, so a payment larger than your balance is declined. Turn on Auto top-up in the app to keep your balance from running out.',
        paraphrase: 'do you offer an overdraft on my account please?',
      },
      {
        question: 'Does my balance earn any interest?',
        answer: 'Not at the moment: money held in a Northwind account earns no interest.',
        paraphrase: 'does my balance earn any interest please?',
      },
    ],
    openQuestion: {
      question: 'Can I use my account for my small business?',
      answer: 'Northwind accounts are for personal use only. A business account is planned for next year; until then please keep business payments out of your personal account.',
      paraphrase: 'can I use my account for my small business please?',
    },
  };
}

/** The shipped sample: eight articles of Tidewater, an invented task-management product (deploy/local/demo/sample). */
export function sampleScript(repoRoot: string): DemoScript {
  return {
    name: 'sample',
    // Read from the source tree: tsc copies no Markdown into dist/.
    folder: path.join(repoRoot, 'deploy', 'local', 'demo', 'sample'),
    corrections: [
      {
        question: 'Do you offer a discount for nonprofits?',
        answer: 'Yes: registered nonprofits get 50% off the Team and Business plans. Send proof of status from Billing > Discounts and the discount applies from the next invoice.',
        paraphrase: 'do you offer a discount for nonprofits please?',
      },
      {
        question: 'Can I use Tidewater offline?',
        answer: 'Yes. The desktop and mobile apps keep working without a connection and sync your changes as soon as you are back online.',
        paraphrase: 'can I use Tidewater offline please?',
      },
      {
        question: 'Is there a dark mode?',
        answer: 'Yes: turn it on under Profile > Appearance > Theme, or choose Match system to follow your device setting.',
        paraphrase: 'is there a dark mode please?',
      },
    ],
    openQuestion: {
      question: 'Can I assign one task to two people?',
      answer: 'A task has one assignee, so that one person owns it. Add the others as followers from the task menu: they get its updates and can comment.',
      paraphrase: 'can I assign one task to two people please?',
    },
  };
}
