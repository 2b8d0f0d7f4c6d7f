// Package demo is the content of a demo site: the hand-written stories
// that -demo puts on an empty site (Seed) and the synthetic site of any size
// that the seed command makes (Generate).
package demo

// Demo content for a fresh Doléances site: four authors, the six
// categories, the organisations the stories are about, and twelve
// stories with their comments. Everything here is fictional; the
// organisations are real brands used only as plausible settings.

var demoAuthors = []demoAuthor{
	{
		Handle: "jenna.w",
		Name:   "Jenna Whitaker",
		Bio:    "Ohio-born copywriter, in Paris since 2019 with one husband, one cat and a growing collection of registered-letter receipts. I write about French paperwork so you don't have to suffer alone.",
	},
	{
		Handle: "nigel",
		Name:   "Nigel Ashworth",
		Bio:    "Retired geography teacher from Leeds, now tending tomatoes near Bordeaux. Fond of trains, tea and well-queued queues.",
	},
	{
		Handle: "lucia.fernandez",
		Name:   "Lucía Fernández Muñoz",
		Bio:    "Master's student in urban planning from Valladolid, currently in Lyon. I collect French administrative vocabulary the way other people collect stamps.",
	},
	{
		Handle: "margot",
		Name:   "Margot Lefèvre",
		Bio:    "Born in Lille, living in Paris, translator by day. French, and still baffled by France; I explain the system to my expat friends and sometimes it explains itself to me.",
	},
}

// Categories are the demo site's categories, in display order.
var Categories = []demoCategory{
	{Name: "Telecom", Description: "Mobile plans, internet boxes, technicians who may or may not come, and the art of cancelling a contract."},
	{Name: "Banking", Description: "Opening accounts, closing accounts, and everything your conseiller needs a form for in between."},
	{Name: "Administration", Description: "Préfectures, social services, the post office and the sacred lettre recommandée."},
	{Name: "Transport", Description: "Trains, bikes, buses and the refunds, fines and adventures they bring."},
	{Name: "Housing", Description: "Landlords, deliveries, boilers and the long road from visiting a flat to feeling at home in it."},
	{Name: "Good service", Description: "The times somebody on the other side of the counter was kind, quick or simply brilliant."},
}

var demoCompanies = []demoCompany{
	{Name: "Orange", Description: "France's historical telecom operator, providing mobile plans and Livebox internet subscriptions."},
	{Name: "Free", Description: "Internet and mobile operator known for its Freebox and low-cost mobile plans."},
	{Name: "BNP Paribas", Description: "One of France's largest retail banks, with branches in most towns."},
	{Name: "La Poste", Description: "The national postal service, handling letters, parcels and a few banking and community services."},
	{Name: "IKEA", Description: "Swedish furniture retailer with large stores around French cities and a home-delivery service."},
	{Name: "Vélib'", Description: "The self-service bike-sharing network of Paris and its surrounding towns."},
	{Name: "SNCF", Description: "The national railway company, running TGV, Intercités and regional TER trains."},
	{Name: "CAF", Description: "The Caisse d'allocations familiales, which pays family benefits and housing assistance such as the APL."},
	{Name: "Préfecture de police", Description: "The Paris préfecture, which among many other things handles residence permits for foreigners living in the city."},
}

// Stories are the demo site's stories, with their comments.
var Stories = []demoStory{
	{
		Title:      "Résilier chez Orange: a three-month saga",
		Author:     "jenna.w",
		Categories: []string{"Telecom"},
		Tags:       []string{"cancellation", "livebox", "lettre recommandée", "moving"},
		Company:    "Orange",
		City:       "Paris",
		Resolution: "resolved",
		DaysAgo:    142,
		Body: `When we moved from the 11th to the 19th in March, I assumed cancelling our internet box would be the easy part. We had already done the hard part — finding an apartment in Paris — so how hard could it be to tell a company you would like to stop giving them money?

Reader, it could be very hard.

In French you don't *cancel* a contract, you *résilier* it, a word that sounds a lot like "resilience". This is not a coincidence. Our new building only had fibre from another operator, so staying wasn't an option, and on 4 March I picked up the phone with the optimism of a woman who had not yet heard the hold music twenty times.

### The calls

I kept notes, because my husband said nobody would believe me. He was right.

| # | Date | Time on hold | What I was told |
|---|------|--------------|-----------------|
| 1 | 4 March | 22 min | "Send us a registered letter, madame." |
| 2 | 19 March | 41 min | The letter has not been received. |
| 3 | 2 April | 1 h 05 | Transferred to the *service résiliation*… line cut. |
| 4 | 17 April | 9 min | "Your contract is closed!" (A new bill arrived the next day.) |
| 5 | 28 May | 35 min | Refund of the extra months promised "sous quinzaine". |

The registered letter deserves its own paragraph. I sent it *avec accusé de réception*, the little green-and-white form that proves somebody signed for it. Somebody did sign for it. I have the signature. It looks like a seismograph reading. And still, on call number two:

> « Madame, je ne vois rien dans le dossier. Vous êtes sûre de l'avoir envoyée ? »

I was sure. I was holding the receipt. I read the tracking number aloud, slowly, twice, in my best French, and the agent said "ah, d'accord" in the tone people use when a toddler shows them a rock.

### The box

Then there was the matter of returning the Livebox. You print a label, you pack the box with all its cables (**all** its cables — I had to dig the fibre adapter out of a moving carton labelled "KITCHEN??"), and you drop it at a *point relais*, which in our case was a phone-repair shop that also sells phone cases and, for reasons I never understood, honey.

The man at the counter scanned it and gave me a receipt the size of a bus ticket. I almost threw it away. **Do not throw it away.** Two months later it was the only thing that proved the box had ever left my hands.

### How it ended

On call five I got an agent called Sandrine who listened to the whole story, sighed with what I choose to believe was genuine sympathy, and credited back the two extra months. The money arrived eleven weeks later. I celebrated with a croissant and a nap.

What I learned, for anyone about to do the same:

- Write down every call: date, time on hold, name of the agent.
- Photograph the registered-letter receipt *and* the point-relais ticket.
- Be polite and boring. Repeat the same sentence. Boring wins.
- Keep a croissant in reserve.

Friends tell me there is a button for this on the website now. I have decided not to look at it, for my own peace of mind.`,
		Comments: []demoComment{
			{Name: "Brendan O’Shea", Email: "brendan@example.com", Website: "https://brendan.example", Body: "The registered letter that is somehow never received is a French rite of passage. Welcome, you're one of us now.", Hours: 3},
			{Name: "Margot Lefèvre", Handle: "margot", Body: "As a French person I'd like to apologise on behalf of the *lettre recommandée avec accusé de réception*. It has outlived the fax and it will outlive us all.", Hours: 5, ReplyTo: 1},
			{Name: "Jenna Whitaker", Handle: "jenna.w", Body: "Apology accepted, Margot, but only if you tell me where to buy the little green forms in bulk.", Hours: 8, ReplyTo: 2},
			{Name: "Sophie Marchand", Email: "sophie.m@example.org", Body: "Tip for everyone: the **point relais** receipt is gold. Photograph it, laminate it, frame it.", Hours: 26},
			{Name: "Dave K.", Email: "dave@example.com", Body: "Row 3 of your table made me laugh out loud on the métro. An hour and five minutes and then *cut off* — that's performance art.", Hours: 70},
		},
	},
	{
		Title:      "Titre de séjour, season two: back at the Préfecture",
		Author:     "jenna.w",
		Categories: []string{"Administration"},
		Tags:       []string{"titre de séjour", "residence permit", "appointments", "paperwork"},
		Company:    "Préfecture de police",
		City:       "Paris",
		Resolution: "open",
		DaysAgo:    88,
		Body: `Every expat in Paris has a Préfecture story. This is my second one, because residence permits, like sourdough starters, need to be renewed.

For the uninitiated: if you're not from the EU, your right to live here comes on a plastic card called a *titre de séjour*, and every so often you have to prove, again, that you still exist, still have a job, still live where you said you live, and still look like your photo. The official list of what to bring is on [service-public.fr](https://www.service-public.fr), and I recommend reading it three times, because the version you read at 11 p.m. will not be the version you remember at 8 a.m.

### Getting the appointment

These days most of it starts online, which I was genuinely excited about. Then I learned that appointment slots, when there are any, appear and vanish in the time it takes to type your date of birth. Our group chat developed a theory that new slots drop just after midnight. I can neither confirm nor deny that I set an alarm for 00:01 four nights in a row. On the fourth night I got one. I screamed quietly so as not to wake the cat.

### What I brought

My folder, which had colour-coded tabs:

- passport, plus photocopies of every page with a stamp on it
- the current card, front and back
- proof of address (electricity bill, *less than three months old*, I checked twice)
- work contract and the last three payslips
- the tax notice, the *avis d'imposition*
- three ID photos, taken at the booth in the métro

### What they asked for

The agent, a tired man with very elegant reading glasses, went through the folder page by page. Everything was fine. I was one signature away from freedom. Then he picked up the photos, looked at them, looked at me, and delivered the line I will hear in my dreams:

> « Vous souriez, madame. Ce n'est pas possible. »

I was smiling. Very slightly. It was a *Midwestern* smile, the kind we can't switch off, but it was there, and official photos must have a neutral expression. He pointed me, not unkindly, to the photo booth in the hallway, where I sat and thought about sad things until the machine flashed. Four photos of a woman who has just been told her smile is illegal.

He accepted them. He stamped things. He handed me a *récépissé*[^1] and told me the card would be ready "in a few weeks", which is a unit of time with no upper bound.

### Where things stand

It has now been a few weeks times three. The tracking page says my application is *en cours d'instruction*, and has said so since the day it was created. My récépissé is valid for another month. I've sent a polite message through the contact form; the automatic reply thanked me for my patience, which felt a little presumptuous.

I'll update this post when the card arrives. In the meantime, if you see a woman at the Cité station practising her neutral face, say hi. Or don't. She's concentrating.

[^1]: The *récépissé* is a piece of paper that proves you are allowed to be here while they decide whether you are allowed to be here. Keep it with your passport at all times.`,
		Comments: []demoComment{
			{Name: "Kwame Mensah", Email: "kwame@example.com", Body: "The smiling photo! Mine was rejected because my eyebrows were *too expressive*. Good luck with the card.", Hours: 2},
			{Name: "Lucía Fernández Muñoz", Handle: "lucia.fernandez", Body: "Midnight slot-hunting is how I met half my friends in Lyon. We have a group chat called « Préf Insomnia ».", Hours: 6},
			{Name: "Anna Kowalska", Email: "anna.k@example.org", Body: "Please tell me the group is open to Parisians.", Hours: 9, ReplyTo: 2},
			{Name: "Lucía Fernández Muñoz", Handle: "lucia.fernandez", Body: "Everyone is welcome. Only rule: no complaining before 00:01.", Hours: 11, ReplyTo: 3},
			{Name: "Tom Reilly", Email: "tom.reilly@example.com", Website: "https://tomreilly.example", Body: "Your footnote is the most French sentence ever written in English.", Hours: 40},
			{Name: "Jenna Whitaker", Handle: "jenna.w", Body: "I rewrote it three times to make it sound less absurd and it only got worse.", Hours: 44, ReplyTo: 5},
		},
	},
	{
		Title:      "Three banks, one question: « Vous êtes américaine ? »",
		Author:     "jenna.w",
		Categories: []string{"Banking"},
		Tags:       []string{"fatca", "bank account", "americans abroad"},
		Company:    "",
		City:       "",
		Resolution: "abandoned",
		DaysAgo:    57,
		Body: `This is a post about banks, but it is really a post about one question, asked in three different branches with three slightly different facial expressions: *« Vous êtes américaine ? »*

Some background. I already have a French account, opened years ago through my employer's payroll and a very patient conseillère. This spring my husband and I wanted a joint account for the flat, and I thought I'd shop around for something with fewer fees. I had a spreadsheet. I had done research. I had, it turns out, an American passport, which was the only column that mattered.

If you're not familiar with it, there's a US law — **FATCA** — that makes foreign banks report on their American customers to the US tax authorities. For a French bank this means extra forms, extra checks and extra risk, all for one person's joint account. Some banks decide it is worth it. Some, politely, decide it is not.

Here is how it went:

1. **Bank one**, near Bastille. Lovely adviser, offered me a coffee, got to the nationality box on the form and went very quiet. She said she would "check with the back office". The back office, it seems, is a place from which no one returns. I never heard back.
2. **Bank two**, online. The sign-up flow had a dropdown for country of tax residence. I selected *United States* and the page reloaded with a message that the offer was "not available in your situation". At least it was quick.
3. **Bank three**, the one I'd been most excited about. The adviser was frank with me, which I appreciated:

> « Ce n'est pas vous, madame. C'est votre pays. »

It's not you, it's your country. I have been broken up with in worse ways.

I want to be fair here. Nobody was rude. Everyone was a little embarrassed. One adviser actually apologised and told me her colleague's husband, an American from Texas, had the same problem at their own bank. It's a system problem, not a people problem, and the people on the other side of the desk clearly didn't design it.

But after the third "ah…" I decided to stop. The spreadsheet is closed. We added my husband to my existing account, which took one form and fifteen minutes, and we've accepted that we'll pay a few more euros a month in fees for the privilege of not explaining US tax law to anyone ever again.

If you are an American in France looking for a bank:

- Ask about US persons **before** you fill in anything.
- Your employer's bank may be your best friend.
- Bring your W-9 form already filled in. It won't always help, but it shows you've suffered before.

Marking this one as *abandoned*. Not defeated — just tired.`,
		Comments: []demoComment{
			{Name: "Mark Delaney", Email: "mark@example.com", Body: "Same here. One branch told me to come back *when my situation had evolved*. It has not evolved. I am still from Oregon.", Hours: 4},
			{Name: "Nigel Ashworth", Handle: "nigel", Body: "Post-Brexit we Brits got a milder version of this. No W-9, just a great deal of « ah, le Royaume-Uni… » and sighing.", Hours: 20},
			{Name: "Priya Raman", Email: "priya@example.org", Website: "https://priya.example", Body: "The sighing is the worst part. It's a sigh that says *this will require a form we no longer print*.", Hours: 31, ReplyTo: 2},
		},
	},
	{
		Title:      "The IKEA delivery window that wasn't",
		Author:     "nigel",
		Categories: []string{"Housing"},
		Tags:       []string{"delivery", "furniture", "wardrobe", "waiting"},
		Company:    "IKEA",
		City:       "Bordeaux",
		Resolution: "resolved",
		DaysAgo:    37,
		Body: `When Margaret and I moved out of the rented gîte and into our own little house outside Bordeaux, we did the sensible thing and ordered the bedroom from IKEA: one wardrobe, one chest of drawers, one bed frame, and a sofa for the front room, because our old one had not survived the removal van.

Delivery was booked for a Tuesday. The confirmation email gave us a **delivery window** of *7h to 21h*. I have taught geography for thirty-one years and I know a window when I see one. That is not a window. That is a *day*.

Still, we are retired, and there are worse ways to spend a day than waiting at home with a pot of tea. Here is how it went:

1. **6h50** — Up, dressed, kettle on. Gate open. Dog shut in the utility room.
2. **9h15** — Text message: the driver would arrive "between 14h and 18h". Breakfast, therefore, was not wasted.
3. **14h00** — Second pot of tea.
4. **17h40** — Third pot of tea. Margaret went to "look down the lane", which she did roughly every ten minutes thereafter.
5. **18h55** — Lorry arrives. Two very polite young men unload eleven boxes with impressive speed and go.
6. **19h10** — I count the boxes against the order. This is when things go wrong.

What we received:

- the sofa, in the right colour
- the chest of drawers, complete
- the bed frame, minus the slats
- *four wardrobe doors*, but not the wardrobe

I have since learned this is not unusual. A big order is picked in several parts of the warehouse and sometimes a part simply stays behind. But at 19h10 on a Tuesday, standing in the hall next to four doors with nothing to be a door *of*, it felt very personal.

I rang customer service the next morning. The lady was brisk but helpful, and I'll quote her because she said it with such confidence:

> « Ne vous inquiétez pas, monsieur, les portes ne partiront pas sans leur armoire. »

Don't worry, sir, the doors won't leave without their wardrobe. Which I took to mean the doors were now hostages.

A second delivery was booked for the following week, this time with a window of 8h to 13h, which is at least a generous morning rather than an entire day. It arrived at 11h20 with a driver called Jérôme, who noticed our bedroom was up a rather narrow staircase and, without being asked, carried the wardrobe frame up with me. He refused a cup of tea but accepted a tomato from the garden, which I think tells you everything about Jérôme.

We slept on the mattress on the floor for eight nights. The wardrobe is now assembled, by me, with only one piece left over, which I am assured is "spare". Resolved, then, with a net result of one tomato given and one small screw received.

Moral of the story: count the boxes while the lorry is still there.`,
		Comments: []demoComment{
			{Name: "Hélène Dubois", Email: "helene@example.org", Body: "7h–21h is not a window, it's a *shift*.", Hours: 2},
			{Name: "Brendan O’Shea", Email: "brendan@example.com", Website: "https://brendan.example", Body: "Doors without a wardrobe is very IKEA. Spiritual, almost.", Hours: 5},
			{Name: "Nigel Ashworth", Handle: "nigel", Body: "Margaret says we should have kept them as modern art. The most minimalist wardrobe in the Gironde.", Hours: 7, ReplyTo: 2},
			{Name: "Claire Bonnet", Email: "claire@example.com", Website: "https://claire.example", Body: "Jérôme deserves his own post in **Good service**. The tomato detail is perfect.", Hours: 50},
		},
	},
	{
		Title:      "SNCF refunded me in four days and I don’t know how to feel",
		Author:     "nigel",
		Categories: []string{"Transport", "Good service"},
		Tags:       []string{"trains", "refund", "cancellation", "marseille"},
		Company:    "SNCF",
		City:       "Marseille",
		Resolution: "resolved",
		DaysAgo:    19,
		Body: `~~I sat down to write a complaint.~~ I sat down to write a complaint and I find that I can't, which is a new and frankly unsettling experience for a man of my generation.

Margaret and I had spent a week in Marseille with her cousin, eating more bouillabaisse than is strictly recommended, and were booked on the Sunday afternoon train back to Bordeaux. We arrived at Saint-Charles forty minutes early, as one does, and settled in with a coffee under the departures board.

At 14h02 our train changed from *à l'heure* to *supprimé*. Cancelled. No reason given at first, then "un incident d'infrastructure", which I understand to mean something broken somewhere that is not a train.

Now, I have been on British railways for most of my life, so I know what usually comes next: a long queue, a shrug, and a night on a bench. Here is what actually happened instead:

- Within ten minutes, the app had sent a message offering to move us to the next available train, the following morning, at no cost.
- A young woman in an SNCF waistcoat walked along the concourse *looking for* stranded passengers, rather than waiting for them to find her.
- When I explained that we had nowhere to stay, she took us to the ticket office and the man there found us a room at a hotel round the corner, covered by the company.

What he said, when I thanked him rather more effusively than he was used to:

> « C'est normal, monsieur. C'est notre train qui vous a laissés ici. »

It's normal, sir — it's our train that left you here. I very nearly wrote that down on a napkin and framed it.

### The refund

The next morning's train left on time and arrived on time. Back home, I filled in the compensation form on the website for the cancelled journey: booking reference, a couple of boxes ticked, bank details. It took perhaps six minutes, most of which was me finding my reading glasses.

Four days later the full price of the original tickets was back in our account. Four days. I checked it twice. I showed Margaret, who checked it a third time.

I'm sure somebody will comment that they waited nine months for a refund in 2017, and I believe them. Trains are trains and there are bad days everywhere. But this is a site for honest stories, and the honest story is that a cancelled train on a Sunday afternoon cost us one extra night in Marseille, a very decent hotel breakfast, and nothing else.

So: **thank you** to the lady in the waistcoat, to the man at the ticket office, and to whoever processes the refund forms. You have ruined a perfectly good grumble, and I'm grateful.`,
		Comments: []demoComment{
			{Name: "Margot Lefèvre", Handle: "margot", Body: "As someone who has spent many long evenings at Saint-Charles: this is a beautiful story and I choose to believe every word of it.", Hours: 12},
			{Name: "Inès Haddad", Email: "ines@example.com", Body: "People forget to claim! I got part of a Lille–Paris ticket back last year after a long delay. *Faites la demande*, it takes five minutes.", Hours: 30},
		},
	},
	{
		Title:      "La Poste, a Christmas pudding and the avis de passage",
		Author:     "nigel",
		Categories: []string{"Administration"},
		Tags:       []string{"parcels", "customs", "christmas", "brexit"},
		Company:    "La Poste",
		City:       "Bordeaux",
		Resolution: "abandoned",
		DaysAgo:    160,
		Body: `Every year my sister Pauline sends us a Christmas pudding from Yorkshire. It is a dense, dark, brandy-soaked object, roughly the weight of a small cannonball, and it has survived twelve Christmases in France without incident. This year it did not arrive, and I'm afraid this story has no happy ending, only a moral.

It went wrong in three stages.

**Stage one: customs.** Since Brexit, parcels from the UK are treated as coming from outside the EU. Pauline, bless her, filled in the customs declaration as "pudding, homemade, gift", with a value of £8. I'd later learn it might have helped to be more specific. Nobody has ever been specific about a pudding.

**Stage two: the avis de passage.** On the 19th of December I found a little yellow slip in the letterbox:

> « Nous sommes passés. Vous étiez absent. »

We came by. You were absent. I was not absent. I was in the kitchen, three metres from the front door, wearing slippers and listening to the radio. The doorbell works; I tested it afterwards, with some bitterness.

**Stage three: the tracking.** From then on, the tracking page became my daily reading. In order, it said:

- *Votre colis est en cours d'acheminement* — your parcel is on its way
- *Votre colis est en attente de documents douaniers* — your parcel is waiting for customs documents
- *Votre colis est en cours d'acheminement* — on its way again, apparently
- *Votre colis a été retourné à l'expéditeur* — your parcel has been returned to sender

At no point did anyone ask us for the customs documents it was apparently waiting for. I rang twice. The first time, a kind young man told me that the parcel was "bloqué en douane" and that I should wait. The second time, a different kind young man told me it was "en retour" and there was nothing to be done. Both were very polite and neither of them, I think, could see any more than I could.

Pauline's pudding did not return to sender either. Six weeks later, it has not come back to Yorkshire. Somewhere in Europe there is a parcel containing a pudding that, frankly, will outlast us all. I hope whoever finds it has some brandy butter.

I've marked this one as *abandoned*. It's not worth the phone bill, and I'm told a formal claim for an £8 pudding would take longer than the pudding took to make, which was three days of steaming.

If you're receiving food from the UK this year:

- Ask the sender to describe the contents in detail, in French if they can.
- Check the tracking every day and ring early if it says "documents".
- Stay near the door. Possibly *outside* the door.

Next year, Pauline is bringing it over in her suitcase.`,
		Comments: []demoComment{
			{Name: "Gwen Lloyd", Email: "gwen@example.org", Body: "My mum's Welsh cakes took five weeks and arrived as *Welsh gravel*. We ate them anyway.", Hours: 10},
			{Name: "Nigel Ashworth", Handle: "nigel", Body: "Respect. The pudding would have survived anything — that's rather the point of a pudding.", Hours: 14, ReplyTo: 1},
		},
	},
	{
		Title:      "Sin domicilio: how I opened a bank account without an address",
		Author:     "lucia.fernandez",
		Categories: []string{"Banking"},
		Tags:       []string{"bank account", "justificatif de domicile", "students", "erasmus"},
		Company:    "BNP Paribas",
		City:       "Lyon",
		Resolution: "resolved",
		DaysAgo:    171,
		Body: `When I arrived in Lyon in September for my master's, I had a suitcase, a laptop, a very optimistic budget and no idea about the famous French loop. Let me explain the loop, because every international student meets it in the first week.

1. To rent a flat, the agency wants a French bank account (a *RIB*) for the rent.
2. To open a French bank account, the bank wants a *justificatif de domicile* — proof of address.
3. Proof of address is, for example, an electricity bill or a rental contract.
4. To have a rental contract, see point 1.

*¡Qué maravilla!* I was staying in a youth hostel near Perrache, which is not an address, it's a lifestyle.

### First attempt

I went to a branch with my passport, my university enrolment letter and my biggest smile. The adviser was kind but firm: no proof of address, no account. I asked if the hostel receipt would work. She looked at it for a long time, as if it might transform into an EDF bill, and said:

> « Je suis désolée, mademoiselle, ce n'est pas un justificatif. »

### The trick everyone tells you after you need it

That evening, my classmate Théo (from Grenoble, so French but also a little bit foreign in Lyon, he says) explained the *attestation d'hébergement*. It's a letter where someone who does have an address says you live with them. You attach:

- a signed letter from the person hosting you
- a copy of their ID
- a recent bill in their name

Théo's aunt, who I had met exactly once, at a crêpe party, agreed to host me on paper. I will bake her a *tarta de Santiago* every year until I die.

### Second attempt

I went back with my new documents to a different branch, near the university, and met Monsieur Garnier, who I think had seen every international student situation possible. He read everything, made photocopies, and asked me about Valladolid while the printer worked. He explained the card would arrive by post (at Théo's aunt's, of course) and that the RIB was available **immediately** in the app.

It took forty minutes. I walked out with a RIB on my phone and almost cried on the Rhône quays, in a good way.

Also good to know: if every bank refuses you, there is a legal procedure called *droit au compte* through the Banque de France, which forces a bank to open a basic account for you. I didn't need it, but knowing it existed helped me breathe.

So, resolved! Three weeks later, I signed the lease for a tiny studio in the 7th arrondissement, and paid the first rent with my new account. The loop, *por fin*, was broken.`,
		Comments: []demoComment{
			{Name: "Mateo Rossi", Email: "mateo@example.com", Body: "The *attestation d'hébergement* trick saved me too. Bless every friend's aunt with an electricity bill.", Hours: 8},
			{Name: "Margot Lefèvre", Handle: "margot", Body: "Can confirm that even French people get stuck in this loop when they come back from abroad. It's not personal, it's *structural* 😅", Hours: 15},
			{Name: "Yuki Tanaka", Email: "yuki@example.org", Website: "https://yuki.example", Body: "Bookmarking this for my exchange next year. ¡Gracias, Lucía!", Hours: 120},
		},
	},
	{
		Title:      "CAF, the APL and the document they always need again",
		Author:     "lucia.fernandez",
		Categories: []string{"Administration", "Housing"},
		Tags:       []string{"caf", "apl", "housing aid", "students", "documents"},
		Company:    "CAF",
		City:       "Lyon",
		Resolution: "open",
		DaysAgo:    64,
		Body: `Everybody told me: "As a student in France you can get the **APL**, the housing aid, from the CAF. It pays part of your rent!" Everybody was right. Nobody told me it was a role-playing game with infinite side quests.

The application itself is online, on [caf.fr](https://www.caf.fr), and honestly the website is clear. You create an account, enter your rent, your income (as a student, *very* small, the site did not judge me), and upload your documents. I finished in an evening, with a tea, feeling very organised and very European.

Then the letters started.

> « Votre dossier est incomplet. Pièce manquante : RIB. »

I had uploaded my RIB. I uploaded it again. Two weeks later, a new letter: *pièce manquante : RIB*. I uploaded it a third time, this time as a PDF *and* a photo, in case the problem was the format, or the mood of the RIB.

Here is my current checklist. I keep it on the fridge, next to a photo of my grandmother, who also had to deal with a lot of bureaucracy in her life and would be very proud of me.

- [x] Passport, colour copy, both pages
- [x] Lease (*bail*), signed by me and the landlord
- [x] *Attestation de loyer*, filled in by the landlord
- [x] RIB (sent three times, see above)
- [x] Birth certificate, with sworn translation (45 €, ouch)
- [x] Student card and enrolment certificate
- [ ] Permanent social security number (the temporary one is "not accepted for this procedure")
- [ ] Whatever they ask for next

The social security number is its own story. The social security office is still processing my registration, and the CAF needs the final number to process my file, and the social security office, as far as I can tell, doesn't know the CAF exists. I am the only person in Lyon who is in contact with both of them. I have become a diplomat.

Some advice from my months in this game:

1. Upload documents in your online space instead of sending paper, so there's a trace.
2. Keep screenshots of every upload confirmation.
3. If you can, go to the reception office with everything printed. The lady at the counter in my *arrondissement* was the first person to actually look at my file and tell me what was wrong.
4. Don't give up. The aid is backdated once the file is complete — or so they tell me.

So this story is still *open*. If the money arrives before I finish my master's, I'll write a very happy update, maybe with a photo of the first payment, framed like a diploma.`,
		Comments: []demoComment{
			{Name: "Julien Moreau", Email: "julien@example.com", Body: "Former CAF temp here: the *pièce manquante* letters are often automatic and lag behind what you've uploaded. Going to the counter, like you did, is really the best move.", Hours: 18},
			{Name: "Lucía Fernández Muñoz", Handle: "lucia.fernandez", Body: "Merci Julien! That explains the ghost RIB. Fingers crossed 🤞", Hours: 22, ReplyTo: 1},
		},
	},
	{
		Title:      "Freebox in Toulouse: ¿dónde está el técnico?",
		Author:     "lucia.fernandez",
		Categories: []string{"Telecom"},
		Tags:       []string{"fibre", "freebox", "technician", "internship"},
		Company:    "Free",
		City:       "Toulouse",
		Resolution: "resolved",
		DaysAgo:    29,
		Body: `For my internship this semester I moved to Toulouse, the pink city, for four months. The flat is beautiful: bricks, a tiny balcony, a neighbour who plays the accordion badly but with passion. What the flat did not have was internet, and as a student in urban planning doing a report on cycling infrastructure, I need the internet more than I need the balcony.

I chose Free because my friends in Lyon have it and the offer was simple. Here is my diary.

### Week 1: the box arrives

The Freebox arrived at the relay point in three days. Very fast! I plugged everything in following the instructions. The little screen said something like "synchronisation" and then nothing. The fibre plug on the wall, the *prise optique*, looked fine to me, but what do I know — it's a tiny white box with a cable inside.

I called the support line. The agent was patient and made me unplug and plug things in a certain order, like a ritual. It didn't work. He said:

> « Il faut un technicien, madame. Je vous prends un rendez-vous. »

### Week 2: the technician

The appointment was Wednesday, **8h–12h**. I took the morning off from the internship (my boss was very understanding; she has lived in France her whole life and just said "ah, la fibre…" like someone remembering a war).

At 12h05 I got a message: the appointment was cancelled and rescheduled to the following Tuesday. No explanation. I spent that week working from a café near Capitole where the Wi-Fi password is the owner's dog's name, *Cassoulet*. I drank a lot of coffee and learned a lot about Cassoulet.

### Week 3: ¡milagro!

On Tuesday, at 8h20, a technician called Mehdi rang the bell. He was friendly, fast and a little bit amused by my three pages of notes. He went down to the basement, came back, opened the street cabinet outside, came back again, and said the problem was not my box at all — the fibre had been connected to the wrong flat in the building. Somewhere in my building, somebody had been paying for nothing, and my fibre was going to *their* wall.

It took him twenty minutes. He tested the connection on his phone, showed me the speed with a little smile, and left before I could offer him a coffee.

What I learned:

- If the box doesn't sync, it's often not the box.
- Ask for a technician early; the ritual of unplugging is mostly for the soul.
- Find a café with good Wi-Fi and a dog.

So, *resolved*, with two weeks lost but a happy ending. Now I have internet, a balcony, and the accordion. Two out of three is very good.`,
	},
	{
		Title:      "Vélib’ ate my fifteen euros (and my evening)",
		Author:     "margot",
		Categories: []string{"Transport"},
		Tags:       []string{"bike sharing", "overcharge", "docking"},
		Company:    "Vélib'",
		City:       "Paris",
		Resolution: "open",
		DaysAgo:    12,
		Body: `I love Vélib'. I want to say this first, because what follows might sound like I don't. I've had a subscription for years, I know which stations are always empty on Monday mornings, and I've ridden one of those heavy green bikes home at two in the morning more times than my mother knows.

Which is why I felt so betrayed.

Last Thursday I rode home from work, docked the bike at my usual station near Parmentier, and went upstairs. Normal evening. Pasta. A series I'm ashamed of.

The next morning, an email: my ride had lasted **fourteen hours and twelve minutes**, and I was being charged for it. Fifteen euros, more or less, for a bike that spent the night exactly where I left it.

Here's what I think happened. When you dock a Vélib', the little light on the dock is supposed to turn green and it makes a *bip*. I was tired, I pushed the bike in, I heard something, and I walked away. Apparently the something was not the right *bip*. The bike was in the dock but not *locked* in the dock, and the system thought I was still riding around Paris all night, like a much more interesting person.

### What I did

- Took a screenshot of the ride in the app, with the start and end station being, hilariously, the same one.
- Wrote to customer service through the contact form on [the Vélib' website](https://www.velib-metropole.fr).
- Explained, politely, that I do not cycle for fourteen hours, not even in summer.

The reply came in two days:

> « Nous avons bien pris en compte votre demande. Après vérification, le vélo n'était pas correctement verrouillé. Les frais ne peuvent pas être remboursés. »

So they checked, they agree the bike wasn't properly locked, and that's exactly why I'm paying. Which, fine — it's logical, in a way that makes me want to lie down.

I replied asking whether the bike had moved at all during the night, because if it hadn't, surely they could see that. I'm still waiting. That was a week ago.

### Lessons, for my fellow Parisians

1. Wait for the green light. Always.
2. Listen for the right *bip*. There are several; learn them like birdsong.
3. If in doubt, pull the bike gently. If it comes out, it's not docked.
4. Check the app before you go to bed. It takes ten seconds and it's cheaper than therapy.

I'll update if they answer. In the meantime I am still riding, because I love the thing, but I now stand next to the dock after every ride like someone waiting for a taxi that may never come.`,
		Comments: []demoComment{
			{Name: "Ahmed Benali", Email: "ahmed@example.com", Body: "Always wait for the *bip*. Always. I learned that one the expensive way too — twenty-two hours, in my case.", Hours: 9},
		},
	},
	{
		Title:      "My landlord, the boiler, and « ce n’est pas urgent »",
		Author:     "margot",
		Categories: []string{"Housing"},
		Tags:       []string{"landlord", "heating", "repairs", "tenant rights"},
		Company:    "",
		City:       "Paris",
		Resolution: "resolved",
		DaysAgo:    112,
		Body: `I'm French. I grew up here, I speak the language of the people who write the forms, and I still spent three weeks of November in a flat with no heating and a landlord who thought the situation was, in his words, *pas urgent*.

This is not a story about a big company. My landlord is a retired gentleman who owns two flats in the 10th, mine and the one below. He is usually charming. He sends a card at New Year. And when the boiler died, he turned into a wall.

### The timeline

1. **3 November** — The boiler makes a noise like a coffee machine having a nightmare, then nothing. No heating, no hot water.
2. **3 November, evening** — I call him. He says he'll "send someone this week".
3. **10 November** — Nobody has come. I call again. He says the plumber is very busy.
4. **14 November** — It's 14 °C in my living room. I'm working in a coat and fingerless gloves, which is very romantic for about an hour.
5. **15 November** — I call again. This is when he says it:

> « Ce n'est pas urgent, il fait encore doux. »

It's still mild out, he said. It was 6 °C outside.

### What I learned about the law

That night, wrapped in every blanket I own, I read about my rights as a tenant. In short: a landlord must provide a **decent home**, and a home with working heating is part of that. Repairs to a boiler that is simply old and broken are his responsibility, not mine. The regular servicing is the tenant's job, and yes, I had the certificate from last year's service. I had never been so happy to have kept a piece of paper.

I also called the ADIL, the local housing information office, which is free. The woman on the phone was wonderful. She told me, calmly, exactly what to write.

### The letter

So I did the most French thing possible. I sent a *lettre recommandée avec accusé de réception*. Polite, short, with:

- the date the boiler broke,
- the dates of my calls,
- the temperature in the flat,
- a reference to his obligations as a landlord,
- and a reasonable deadline of eight days.

The letter arrived on a Monday. On Tuesday, a plumber called me. On Thursday, I had a new boiler. The landlord sent me a text — *"Voilà, tout est réglé, bonne soirée"* — as if the whole thing had been his idea.

I'm not angry anymore; I think he genuinely didn't realise how cold it was, because his own flat has a brand-new heat pump. But it is strange that three weeks of phone calls did nothing and one letter did everything.

Resolved, then. Hot showers are back. My fingerless gloves are in a drawer, waiting for the next crisis.`,
		Comments: []demoComment{
			{Name: "Jenna Whitaker", Handle: "jenna.w", Body: "The lettre recommandée strikes again! Maybe it only works when *French* people send it.", Hours: 6},
			{Name: "Margot Lefèvre", Handle: "margot", Body: "It works when *anyone* sends it, Jenna. It just doesn't work on telecom operators 😄", Hours: 9, ReplyTo: 1},
		},
	},
	{
		Title:      "Le facteur qui monte les escaliers: a thank-you note to La Poste",
		Author:     "margot",
		Categories: []string{"Good service"},
		Tags:       []string{"postman", "family", "thank you"},
		Company:    "La Poste",
		City:       "Lille",
		Resolution: "resolved",
		DaysAgo:    3,
		Body: `This site is full of stories about things going wrong, and I've written a couple myself. So here's one about something going very, very right.

My grandmother, Mamie Jeanne, is eighty-nine and lives alone in a small house in Fives, in Lille, where she has lived since 1961. She refuses to move, she refuses a home helper "every day", and she refuses, on principle, a mobile phone. My mother and I live in Paris and worry from a distance, which is the family sport.

Last year my mother signed her up for a service La Poste offers where the postman visits elderly people regularly, has a little chat, and lets the family know how they're doing. I was sceptical. I imagined someone ticking a box on a tablet and leaving.

Then we met Didier.

Didier has been the *facteur* in her street for about fifteen years. He does not tick a box and leave. He comes in, he sits for a few minutes, he asks about her knee, he admires the geraniums. Here are a few things Didier knows, according to Mamie:

- which neighbour's dog is not to be trusted
- that Mamie likes her newspaper folded in half, not in three
- the name of every one of her great-grandchildren
- the score of every Lille match, which he discusses with her in detail, because she has opinions

In February, on a Tuesday, Didier rang the bell and nobody answered. Mamie always answers. He looked through the kitchen window, saw her sitting on the floor, and called the emergency number and then my mother. She had slipped and couldn't get up. Nothing was broken, thank God, but she had been there for over an hour and was cold and frightened.

When I called him to say thank you, he said, a little embarrassed:

> « C'est rien, madame. C'est mon quartier, c'est ma tournée. »

It's nothing. It's my neighbourhood, it's my round.

It's not nothing. I know La Poste has its problems — Nigel's Christmas pudding is still out there somewhere — and I know postmen have more and more streets to cover and less and less time. That makes it even more remarkable that someone like Didier still takes the stairs, still looks through the window, still knows about the geraniums.

Mamie is fine. She still refuses the mobile phone. But she now tells everyone that she has *"un ange gardien en vélo jaune"*, a guardian angel on a yellow bike.

**Merci, Didier.** And thank you to whoever at La Poste thought this service was worth keeping. 💛`,
	},
}
